# --max-features beyond the number of features names the real range
cp $ROOT/tests/cli/forest/data/train.csv .
forest train train.csv -o m.rf --max-features 1000 -q; echo "exit $?"
forest train train.csv -o m.rf --max-features 1.5 -q; echo "exit $?"
forest train train.csv -o m.rf --max-features 78 --trees 1 -q; echo "exit $?"
