"""Questions answered from the project and the knowledge base: wheel coverage (from the knowledge
base or, online, the index), lock-file coverage, OS dependencies of source builds, PEP 725 entries.
Rules read these answers; nothing here reports a finding on its own account."""
