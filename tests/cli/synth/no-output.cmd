synth -s vimeo
