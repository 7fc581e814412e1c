# shell-style patterns on names, case-insensitive: like, not like, lists, name 'pattern'
printf 'Flow ID,Dst Port,Server Name,Label\nf1,443,r3---sn-abc.googlevideo.com,x\nf2,443,WWW.YouTube.COM,x\nf3,443,vod-adaptive.akamaized.vimeocdn.com,x\nf4,53,,x\nf5,443,player.vimeo.com,x\nf6,443,"a,b.example",x\nf7,443,video-weaver.fra05.hls.ttvnw.net,x\n' > names.csv
cat > names.yaml <<'Y'
sources: [names.csv]
rules:
  - {when: "name ['*.googlevideo.com', '*.youtube.com']", label: youtube}
  - {when: "`Server Name` like ['*.vimeocdn.com', '*.vimeo.com']", label: vimeo}
  - {when: "name '*.[tj]tvnw.net'", label: twitch}
  - {when: "`Server Name` like '?*'", label: named}
default: unnamed
columns: [Flow ID, Label]
Y
labeler names.yaml
labeler names.csv --match "\`Server Name\` not like '*.com' and \`Server Name\` like '*'" --file-label notcom --default other --columns 'Flow ID,Label'
labeler names.csv --match "name 'A\\,B.*'" --file-label escaped --default other --columns 'Flow ID,Label' | grep escaped
labeler names.csv --match "name '*.googlevideo.com[' " -o out.csv
labeler names.csv --match "name 443" -o out.csv
labeler names.csv --match "\`Dst Port\` + 1 like 'x'" -o out.csv
cut -d, -f1,2,4 names.csv > nonames.csv
labeler nonames.csv --match "name '*'" -o out.csv
ls
