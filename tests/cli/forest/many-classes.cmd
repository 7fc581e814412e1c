# a label with about one class per row (an identifier taken for the label) is warned about,
# with the expected model size, before the forest is built; a normal label is not
cp $ROOT/tests/cli/forest/data/train.csv .
awk -F, 'BEGIN { OFS = "," } NR > 1 { $NF = "row" NR } { print }' train.csv >unique.csv
forest train unique.csv -o u.rf --trees 2 --seed 1 -q; echo "exit $?"
forest train train.csv -o m.rf --trees 2 --seed 1 -q; echo "exit $?"
