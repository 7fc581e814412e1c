# --class-weight balanced, --max-depth, --min-samples-leaf and --no-bootstrap change the trees as asked
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o b.bin --trees 10 --seed 2 --class-weight balanced -q
forest eval b.bin test.csv --json | cut -c1-60
forest train train.csv -o d.bin --trees 4 --seed 2 --max-depth 3 --min-samples-leaf 5 --no-bootstrap -q
forest info d.bin | grep -E "^(options|nodes|max depth)"
