"""Order use cases: one function per action, each one unit of work and one commit."""
