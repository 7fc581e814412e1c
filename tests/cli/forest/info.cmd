# info shows kind, options, classes, features and tree sizes
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.bin --trees 5 --seed 3 --oob -q
forest info m.bin | cut -c1-160
