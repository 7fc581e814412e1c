synth -s vimeo -d 5 -o /dev/full
