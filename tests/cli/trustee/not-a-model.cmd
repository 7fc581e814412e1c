printf 'Protocol,Label\n6,vimeo\n' > data.csv
trustee explain data.csv data.csv
