# MDI importances, then with data also permutation importances
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.bin --trees 10 --seed 1 -q >/dev/null
forest importance m.bin | head -6
forest importance m.bin test.csv --repeats 3 | head -6
