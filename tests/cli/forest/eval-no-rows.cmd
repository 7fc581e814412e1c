# eval and importance on a file without data rows are errors, not a score over 0 rows
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.rf --trees 2 --seed 1 -q
head -1 test.csv >header.csv
forest eval m.rf header.csv; echo "exit $?"
forest eval m.rf header.csv --json; echo "exit $?"
forest importance m.rf header.csv; echo "exit $?"
# every row dropped by --nonfinite drop
{ head -1 test.csv; sed -n 2p test.csv | sed 's/^[^,]*,/NaN,/'; } >nan.csv
forest eval m.rf nan.csv --nonfinite drop; echo "exit $?"
