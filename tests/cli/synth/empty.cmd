synth -s youtube -n 0 -d 10 -o - | od -An -tx1
synth -s vimeo -d 0.000001 -o - | wc -c
