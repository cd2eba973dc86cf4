"""Bundling: resolve `$ref`s safely, hoist external ones into `components` under stable names, keep a source map."""
