# same --seed, different --threads: identical model bytes
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o a.bin --trees 12 --seed 7 --threads 1 -q >/dev/null
forest train train.csv -o b.bin --trees 12 --seed 7 --threads 3 -q >/dev/null
forest train train.csv -o c.bin --trees 12 --seed 8 --threads 2 -q >/dev/null
cmp a.bin b.bin && echo "threads 1 and 3: identical"
cmp -s a.bin c.bin || echo "seed 7 and 8: different"
