# a NUL byte inside a number is an error naming file, line and column (the value shown
# stops at the NUL: common/table.c prints it with %s; update this golden when it shows the bytes)
cp $ROOT/tests/cli/forest/data/train.csv .
{ head -5 train.csv; sed -n 6p train.csv | sed 's/^\([^,]*\),\([0-9]\)/\1,\2\x001/'; tail -n +7 train.csv; } >nul.csv
forest train nul.csv -o m.rf --trees 2 -q; echo "exit $?"
