printf 'Protocol,Label\n6,vimeo\n' > data.csv
trustee explain nosuch.rf data.csv
