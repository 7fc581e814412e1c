# a non-numeric value or unknown --features name is named precisely
cp $ROOT/tests/cli/forest/data/*.csv .
{ head -2 train.csv; head -3 train.csv | tail -1 | sed "s/^[0-9]*,/http,/"; } > txt.csv
forest train txt.csv -o m.bin -q; echo "exit $?"
forest train train.csv -o m.bin -q --features "Destination Port,Flow Durration"; echo "exit $?"
forest train train.csv -o m.bin -q --label Class; echo "exit $?"
