"""Reading data files: the converter, safe YAML, and the folder loader."""
