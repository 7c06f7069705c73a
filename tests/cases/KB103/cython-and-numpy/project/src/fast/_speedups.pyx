cimport numpy as cnp
