# Infinity and NaN are refused (naming file:line and column) unless --nonfinite says otherwise
cp $ROOT/tests/cli/forest/data/*.csv .
{ head -3 train.csv; head -4 train.csv | tail -1 | sed "s/^80,/Infinity,/"; tail -n +5 train.csv; } > inf.csv
forest train inf.csv -o m.bin --trees 3 -q; echo "exit $?"
forest train inf.csv -o m.bin --trees 3 -q --nonfinite drop; echo "exit $?"
forest train inf.csv -o m.bin --trees 3 -q --nonfinite clip; echo "exit $?"
