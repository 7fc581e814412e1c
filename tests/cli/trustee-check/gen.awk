# Flow rows for the trustee check cases: Protocol gives the class in 9 rows of
# 10 (an artefact), Idle Mean a little (behaviour), Flow Duration nothing.
#   awk -f gen.awk -v n=ROWS -v s=SEED [-v classes=2]
# Park-Miller generator, so every awk gives the same rows.
function rnd() { x = (x * 16807) % 2147483647; return x / 2147483647 }
BEGIN {
	if (!classes) classes = 2
	x = s * 7919 + 1
	split("vimeo,youtube,twitch", name, ",")
	print "Protocol,Flow Duration,Idle Mean,Label"
	for (i = 0; i < n; i++) {
		y = i % classes
		p = rnd() < 0.9 ? (y ? 17 : 6) : (y ? 6 : 17)
		printf "%d,%d,%d,%s\n", p, int(rnd() * 1000), int(rnd() * 100) + 30 * y, name[y + 1]
	}
}
