# train a 20-tree forest on the checked-in sample and evaluate it (text report + confusion)
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.bin --trees 20 --seed 1 -q
forest eval m.bin test.csv
