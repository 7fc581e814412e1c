# a command that answers without reading its input (60,000 rows, more than a pipe holds)
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60000; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
trustee explain flows.csv --expert-cmd 'awk "BEGIN { for (i = 0; i < 60000; i++) print (i % 2 ? \"youtube\" : \"vimeo\") }"' --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 | head -1
