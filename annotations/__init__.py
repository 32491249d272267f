"""Annotated emails: the format, its validation, consistency tools and the corpus builders."""
