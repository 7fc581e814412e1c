printf 'Protocol,Flow Duration,Label\n6,1,vimeo\n17,2,youtube\n6,3,vimeo\n17,4,youtube\n' > train.csv
forest train train.csv -o m.rf --trees 2 --seed 1 >/dev/null 2>&1
printf 'Protocl,Flow Duration,Label\n6,1,vimeo\n' > data.csv
trustee explain m.rf data.csv
