# CR-only line ends are refused (they would read as one header); a NUL byte in a
# header name is an error naming line and column; a UTF-8 BOM is not part of the
# first column's name but is kept in the output (a keep-everything run is a copy)
printf 'a,b\r1,2\r3,4\r' > cr.csv
labeler cr.csv -o out.csv
echo "exit $?"
printf 'Proto\000col,b\n1,2\n' > nul.csv
labeler nul.csv -o out.csv
echo "exit $?"
printf 'x,"y\000z"\n1,2\n' > nulq.csv
labeler nulq.csv -o out.csv
echo "exit $?"
ls
printf '\357\273\277Flow ID,Label\r\nf1,x\r\nf2,y\r\n' > bom.csv
labeler bom.csv -o copy.csv && cmp bom.csv copy.csv && echo "copy is byte-identical"
labeler bom.csv bom.csv --match "\`Flow ID\` == 'f2'" --file-label two --default other | od -c | head -3
labeler bom.csv --columns 'Flow ID' --file-label z --match "\`Flow ID\` == 'f1'"
# a NUL inside a cell is data: copied as it is
printf 'a,b\n1,x\000y\n' > nulcell.csv
labeler nulcell.csv | cmp - nulcell.csv && echo "NUL cell copied"
