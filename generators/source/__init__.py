"""Reading source files: JSON and YAML loading with limits, and finding `file:line:col` of any node."""
