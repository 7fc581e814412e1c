# a model written by format version 1 (forest 0.1.0 before the version-2 layout) still loads:
# same info (format version 1) and the same predictions and probabilities as the version-1 reader gave
forest info --dump $ROOT/tests/cli/forest/data/model-v1.bin | md5sum
forest info $ROOT/tests/cli/forest/data/model-v1.bin | sed -n 1,3p
forest predict $ROOT/tests/cli/forest/data/model-v1.bin $ROOT/tests/cli/forest/data/test.csv --proba | cut -d, -f79- | head -20
forest predict $ROOT/tests/cli/forest/data/model-v1.bin $ROOT/tests/cli/forest/data/test.csv --proba | md5sum
