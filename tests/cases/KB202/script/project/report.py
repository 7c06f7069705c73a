#!/usr/bin/env python3
# /// script
# requires-python = ">=3.13"
# dependencies = [
#   "pandas==2.0.3",
#   "rich",
# ]
# ///
import pandas
