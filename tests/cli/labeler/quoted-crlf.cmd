# quoted cells pass through as they are; CRLF input gives CRLF output;
# no Label column: one is added when labels are set
printf 'Flow ID,Note,Protocol\r\n"a,1",plain,6\r\n"b""2","multi\r\nline",17\r\nc,"",6\r\n' > q.csv
labeler q.csv | cmp - q.csv && echo identical
labeler q.csv --match 'Protocol == 6' --file-label 'tcp, "really"' --default udp --stats | od -c | sed 's/  */ /g'
labeler q.csv --drop "Note == 'multi
line' or \`Flow ID\` == 'a,1'" --columns Note,Flow\ ID
labeler q.csv --nonfinite drop --columns Protocol,Note
