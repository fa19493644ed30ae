"""Customer use cases: one function per action, each with its own unit of work and commit."""
