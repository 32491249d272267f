"""The generator's word lists and phrasings (JSON), a package so that they install with it."""
