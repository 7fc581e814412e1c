# the shared command-line convention in labeler: --file-label names the label of files given
# without =LABEL (--label is its deprecated spelling: same output and a warning), the column is
# --label-column, --nonfinite takes the shared words, -o FILE, one message template
printf 'Protocol,B\n6,1\n17,2\n6,Infinity\n' >in.csv
labeler in.csv --file-label web --match 'Protocol == 6' --default other >a.csv
cat a.csv
labeler in.csv --label web --match 'Protocol == 6' --default other >b.csv
cmp a.csv b.csv && echo "--label is --file-label"
labeler in.csv --file-label web --label-column Class --nonfinite drop -o c.csv && cat c.csv
labeler in.csv --file-label web -o in.csv; echo "exit $?"
labeler in.csv --nonfinite zero; echo "exit $?"
labeler in.csv --file-lable web; echo "exit $?"
labeler in.csv --file-label; echo "exit $?"
labeler in.csv -o; echo "exit $?"
labeler in.csv -Z; echo "exit $?"
