# eval --json on the checked-in sample
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.bin --trees 20 --seed 1 -q >/dev/null
forest eval m.bin test.csv --json
