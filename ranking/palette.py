"""The colours every chart shares, on the screen (``ui/figures``) and in the board paper
(``workshop/exports/charts.py``): the Okabe–Ito palette (Okabe & Ito 2008), distinguishable
with the common colour-vision deficiencies, and the greys beside it.

Here rather than in ``ui/`` because ``workshop/`` may not import ``ui/``; pure constants.
"""

BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"

#: The shortlist (the top k) against the rest.
TOP_COLOUR = BLUE
OTHER_COLOUR = "#BBBBBB"
#: Bars when there is no top k to pick out.
NEUTRAL = "#888888"
