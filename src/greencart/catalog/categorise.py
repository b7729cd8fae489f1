"""Keyword classifier: product text -> a category slug of ``catalog.categories``.

Rules, not a model: each category lists terms with a weight. Head nouns that
say what the thing *is* (mug, lantern, notebook, bag) weigh about 1; modifiers
that say what it is *for* (christmas, garden, kitchen, party) weigh less, so
"christmas mug" is kitchen while "christmas decoration" is party-seasonal.
Matching is lowercase with word boundaries and an optional plural ``s``/``es``;
a term inside a longer matched term (``bag`` inside ``party bag``) does not
count. English first, with a few Chinese terms matched as substrings.

Tuned on the product descriptions of the UCI Online Retail data set (giftware:
lanterns, t-light holders, bags, cake cases, mugs, decorations, signs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from greencart.catalog.categories import BY_SLUG, UNCATEGORISED

# weight -> terms, per category. Multi-word terms match across spaces, hyphens and slashes.
_RULES: dict[str, dict[float, tuple[str, ...]]] = {
    "home-decor": {
        1.2: ("t-light holder", "tea light holder", "tealight holder", "candle holder", "candleholder",
              "hanging heart", "photo frame", "picture frame", "wall art", "metal sign", "door sign",
              "wall sign", "snow globe", "table lamp", "disco ball", "trinket box", "candle pot", "candlepot", "oil burner",
              "incense burner", "coat hook", "coat hanger", "fairy lights", "light garland"),
        1.0: ("lantern", "t-light", "tealight", "tea light", "votive", "candlestick", "frame", "mirror",
              "clock", "sign", "doorsign", "plaque", "ornament", "vase", "doorstop", "chandelier",
              "wreath", "incense", "lampshade", "lamp", "hook", "hanger", "knob", "magnet",
              "wind chime", "paperweight", "tile", "cornice", "night light", "wall hanging",
              "string lights", "lights", "letters", "candle", "artificial flower",
              "art flower", "chime", "canvas", "dovecote", "pouffe"),
        0.7: ("decoration", "garland", "basket", "holder", "mobile", "bell", "bird ornament", "storage",
              "decorative", "hanging", "wicker", "trinket", "star", "light", "pegs", "matches",
              "picture", "print", "bucket", "rosette"),
        0.3: ("heart", "wall", "home", "box"),
    },
    "kitchen": {
        1.2: ("cake case", "cake stand", "cakestand", "cake tin", "lunch box", "egg cup", "toast rack",
              "tea set", "teacup", "tea cup", "cup and saucer", "milk jug", "bread bin", "oven glove",
              "chopping board", "cookie cutter", "pastry cutter", "baking set", "baking mould",
              "jelly mould", "measuring spoons", "measuring cups", "water bottle", "napkin ring",
              "storage jar", "jam jar", "food container", "drinks bottle", "tea tin", "biscuit tin",
              "ice lolly", "cake mould", "kitchen scales", "recipe box", "spice rack", "pizza plate",
              "washing up gloves", "sugar tongs", "food cover", "oven mitt", "toastrack", "lolly makers",
              "four cases", "mini cases", "salt and pepper"),
        1.0: ("mug", "cup", "saucer", "bowl", "plate", "dish", "jug", "teapot", "cutlery", "spoon", "fork",
              "knife", "chopsticks", "tray", "placemat", "coaster", "beaker", "tumbler", "glass", "tin",
              "jar", "colander", "whisk", "spatula", "ladle", "scales", "doily", "doilies", "bottle",
              "straws", "tea cosy", "cosy", "frying pan", "saucepan", "pan", "lid", "bin", "egg", "mould",
              "cutter", "container", "thermos", "flask", "funnel", "grater", "sieve", "strainer", "tongs",
              "mitt", "basin"),
        0.6: ("kitchen", "baking", "cake", "pantry", "napkin", "napkins", "picnic", "dinner", "breakfast",
              "lunch", "cookie", "popcorn", "snack", "jam", "tea", "coffee", "recipe"),
    },
    "bags-accessories": {
        1.2: ("jumbo bag", "lunch bag", "shopping bag", "tote bag", "shoulder bag", "bag charm",
              "luggage tag", "passport cover", "key ring", "keyring", "hair clip", "hair band",
              "hairclip", "wash bag", "washbag", "cosmetic bag", "phone charm", "key fob", "hair slide", "card holder"),
        1.0: ("bag", "tote", "shopper", "handbag", "purse", "wallet", "backpack", "rucksack", "necklace",
              "bracelet", "earrings", "earring", "ring", "brooch", "charm", "pendant", "jewellery",
              "umbrella", "parasol", "sunglasses", "fan", "satchel", "clutch", "bangle", "anklet",
              "hair grip", "hairgrip", "watch", "badge", "tiara"),
        0.6: ("bead", "diamante", "jewel", "jewelled", "bling", "crystal", "luggage", "travel"),
    },
    "party-seasonal": {
        1.2: ("party bag", "party candles", "christmas tree", "advent calendar", "paper chain",
              "party invites", "party hat", "christmas decoration", "tree decoration", "christmas lights",
              "easter decoration", "christmas garland", "christmas wreath", "birthday candle",
              "cake candles", "christmas stocking", "party cones", "party plates", "party cups"),
        1.0: ("bunting", "balloon", "cracker", "bauble", "confetti", "invites", "invitation",
              "pinata", "party", "tinsel", "stocking"),
        0.9: ("flag", "pennant"),
        0.8: ("christmas", "xmas", "easter", "halloween", "valentine", "santa", "birthday", "wedding"),
        0.5: ("reindeer", "snowman", "snowmen", "sleigh", "elf", "angel", "jingle", "holly", "nativity"),
    },
    "stationery": {
        1.2: ("gift wrap", "wrapping paper", "greeting card", "birthday card", "christmas card",
              "gift tag", "note book", "address book", "photo album", "memo board", "colouring pencils",
              "colouring book", "writing set", "pencil case", "rubber stamp", "sticky notes", "tissue paper",
              "gift bag", "ribbon reel", "tissue ream", "memo board", "memoboard", "blackboard"),
        1.0: ("notebook", "sketchbook", "journal", "diary", "pen", "pencil", "eraser", "rubber",
              "ruler", "sharpener", "sticker", "tape", "wrap", "card", "envelope", "calendar",
              "notepad", "pad", "stamp", "crayon", "marker", "chalk", "chalkboard", "stationery",
              "book", "postcard", "scissors", "scissor", "paper clip", "clips", "organiser", "folder",
              "paints", "glue", "tag", "ribbon"),
        0.5: ("paper", "office", "school", "letter"),
    },
    "home-textiles": {
        1.2: ("cushion cover", "hot water bottle", "tea towel", "table cloth", "tablecloth", "door mat",
              "bath mat", "pillow case", "pillowcase", "bed linen", "shower curtain", "peg bag",
              "throw blanket", "table runner"),
        1.0: ("cushion", "doormat", "towel", "flannel", "blanket", "throw", "quilt", "bedspread",
              "duvet", "pillow", "curtain", "rug", "apron", "mat", "sheet", "filler pad", "pad cover",
              "cushion pad", "runner", "hand towel"),
        0.5: ("cotton", "linen", "fabric", "felt", "knitted", "crochet"),
    },
    "toys": {
        1.2: ("soft toy", "playing cards", "spinning top", "skipping rope", "rocking horse", "craft kit",
              "sewing kit", "jigsaw puzzle", "money bank", "money box", "piggy bank", "play house", "playhouse",
              "toy car", "paint set", "bubbles", "magic slate"),
        1.0: ("toy", "game", "jigsaw", "puzzle", "doll", "teddy", "kite", "marbles", "dominoes",
              "yo-yo", "yoyo", "puppet", "dolls house", "rattle", "building blocks", "blocks",
              "helicopter", "spinning", "skittles", "bingo", "snap", "ludo", "noughts",
              "naughts", "drawing slate", "inflatable", "tattoos", "stencil", "modelling clay"),
        0.5: ("kit", "childrens", "children", "childs", "kids", "baby", "play", "feltcraft", "craft",
              "dinosaur", "circus"),
    },
    "garden": {
        1.2: ("garden sign", "plant pot", "flower pot", "watering can", "bird feeder", "bird house",
              "birdhouse", "bird table", "nesting box", "grow your own", "garden tools", "plant cage",
              "herb marker", "plant marker", "garden gnome", "wind spinner", "plant stake"),
        1.0: ("trowel", "rake", "spade", "hoe", "seeds", "seed", "planter", "gnome", "hammock",
              "windmill", "greenhouse", "plant", "plants", "hose", "secateurs", "bird bath",
              "trellis", "wheelbarrow", "compost"),
        0.6: ("garden", "gardening", "herb", "herbs", "flowerpot", "outdoor"),
    },
    "furniture": {
        1.2: ("chest of drawers", "side table", "coffee table", "bedside table", "book case", "bookcase",
              "shoe rack", "magazine rack", "folding chair", "bar stool", "storage unit", "coat rack"),
        1.0: ("chair", "stool", "cabinet", "drawers", "shelf", "shelves", "bench", "sofa", "wardrobe",
              "desk", "bed", "table", "cupboard", "pouffe", "sideboard", "dresser", "armchair", "footstool", "chest", "ladder"),
    },
    "personal-care": {
        1.2: ("hand cream", "lip gloss", "lip balm", "bath salts", "bath bomb", "first aid", "nail file",
              "make up", "makeup", "hand warmer", "body lotion", "shower gel", "tooth brush",
              "compact mirror", "hot pack", "shower cap"),
        1.0: ("soap", "shampoo", "conditioner", "lotion", "tissues", "plasters", "toothbrush", "comb",
              "perfume", "eau de toilette", "deodorant", "razor", "manicure", "cosmetics", "sponge",
              "moisturiser", "sunscreen", "toothpaste", "cologne"),
        0.5: ("bath", "bathroom", "toilet", "brush", "scent", "spa"),
    },
    "apparel": {
        1.2: ("t-shirt", "t shirt", "baby bib", "rain coat", "raincoat", "bobble hat", "sun hat",
              "woolly hat", "knitted hat"),
        1.0: ("shirt", "dress", "skirt", "jumper", "sweater", "hoodie", "jacket", "coat", "scarf",
              "hat", "cap", "gloves", "glove", "mittens", "socks", "bib", "poncho", "pyjamas", "trousers",
              "jeans", "shorts", "leggings", "cardigan", "blouse", "vest", "tie", "belt", "babygrow"),
        0.8: ("patches", "iron on"),
    },
    "footwear": {
        1.0: ("shoe", "shoes", "boots", "slippers", "sandals", "trainers", "sneakers", "flip flops",
              "wellies", "wellingtons", "wellington boots", "loafers", "heels", "espadrilles"),
    },
    "electronics": {
        1.2: ("usb", "phone case", "headphones", "earphones", "bluetooth", "power bank", "led light"),
        1.0: ("radio", "calculator", "charger", "speaker", "battery", "batteries", "camera", "torch",
              "cable", "laptop", "tablet", "smartphone", "phone", "television", "keyboard", "mouse",
              "router", "monitor", "console", "smartwatch", "earbuds"),
        0.4: ("led", "electric", "digital", "solar"),
    },
    "small-appliances": {
        1.2: ("hair dryer", "coffee maker", "coffee machine", "food mixer", "steam iron", "electric fan",
              "desk fan", "popcorn maker", "ice cream maker", "sandwich maker", "electric toothbrush"),
        1.0: ("kettle", "toaster", "blender", "juicer", "heater", "vacuum", "hoover", "microwave",
              "straightener", "humidifier", "dehumidifier", "air fryer", "food processor", "mixer"),
    },
    "food-drink": {
        1.2: ("chocolate bar", "hot chocolate", "tea bags", "coffee beans", "jelly beans", "olive oil",
              "bottle of wine", "strawberry jam"),
        1.0: ("chocolates", "sweets", "lollipop", "biscuits", "beer", "fudge", "toffee", "marmalade",
              "chutney", "cereal", "crisps", "pasta", "flour"),
        0.6: ("honey", "wine", "juice", "coffee", "candy", "sauce", "spices", "snacks", "nuts", "rice",
              "sugar", "chocolate"),
    },
    "sports": {
        1.2: ("yoga mat", "football", "tennis ball", "golf ball", "skipping rope", "resistance band",
              "sports bottle", "gym bag", "swim", "swimming"),
        1.0: ("ball", "racket", "racquet", "dumbbell", "kettlebell", "bike", "bicycle", "helmet",
              "tent", "sleeping bag", "frisbee", "golf", "tennis", "yoga", "fitness", "skateboard",
              "scooter", "goggles", "shuttlecock"),
        0.5: ("sport", "sports", "camping", "running", "gym", "football"),
    },
}

# Chinese terms, matched as substrings (no word boundaries in Chinese text).
_RULES_ZH: dict[str, tuple[str, ...]] = {
    "apparel": ("衬衫", "T恤", "连衣裙", "外套", "夹克", "毛衣", "裤", "裙", "围巾", "帽"),
    "footwear": ("鞋", "靴", "拖鞋", "凉鞋"),
    "electronics": ("耳机", "充电器", "手机", "数据线", "音箱", "电池", "相机", "键盘", "鼠标"),
    "small-appliances": ("电水壶", "烤面包机", "搅拌机", "吹风机", "咖啡机", "电风扇", "榨汁机"),
    "food-drink": ("巧克力", "茶叶", "咖啡豆", "饼干", "蜂蜜", "零食", "葡萄酒", "糖果"),
    "home-textiles": ("靠垫", "抱枕", "毛巾", "毯", "被套", "床单", "窗帘", "地垫", "枕"),
    "furniture": ("椅", "桌", "柜", "书架", "沙发", "凳", "床头"),
    "personal-care": ("洗发", "牙刷", "香皂", "肥皂", "护手霜", "润唇", "沐浴", "纸巾"),
    "toys": ("玩具", "拼图", "积木", "娃娃", "毛绒"),
    "stationery": ("笔记本", "铅笔", "钢笔", "橡皮", "贴纸", "文具", "贺卡", "包装纸", "本子"),
    "garden": ("园艺", "花盆", "喷壶", "种子", "花园"),
    "sports": ("运动", "瑜伽", "球", "健身", "自行车"),
    "home-decor": ("灯笼", "蜡烛", "烛台", "相框", "镜子", "挂钟", "装饰", "花瓶"),
    "kitchen": ("杯", "碗", "盘", "餐具", "茶壶", "勺", "厨房", "烘焙"),
    "bags-accessories": ("包", "钱包", "项链", "手链", "耳环", "戒指", "伞"),
    "party-seasonal": ("圣诞", "派对", "气球", "生日", "复活节"),
}


def _term_regex(term: str) -> str:
    return r"[\s\-/]+".join(re.escape(w) for w in re.split(r"[\s\-/]+", term) if w)


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], dict[str, list[tuple[str, float]]]]:
    """One alternation of every term, longest first, and term -> [(category, weight)]."""
    by_term: dict[str, list[tuple[str, float]]] = {}
    for category, by_weight in _RULES.items():
        if category not in BY_SLUG:
            raise ValueError(f"Expected a category slug of catalog.categories, got {category!r}")
        for weight, words in by_weight.items():
            for word in words:
                key = " ".join(re.split(r"[\s\-/]+", word))
                by_term.setdefault(key, []).append((category, weight))
    ordered = sorted(by_term, key=lambda t: (-len(t), t))
    alternation = "|".join(_term_regex(t) for t in ordered)
    pattern = re.compile(rf"(?<![a-z0-9])(?:{alternation})(?:s|es)?(?![a-z0-9])")
    return pattern, by_term


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"\bt[\s\-]?lights?\b", "t-light", text)
    return re.sub(r"\s+", " ", text)


def _matches(text: str) -> list[tuple[str, float]]:
    """(category, weight) per matched term; scanning leftmost-longest, so a term
    inside a longer matched one (``bag`` in ``party bag``) does not count."""
    pattern, by_term = _compiled()
    out: list[tuple[str, float]] = []
    for match in pattern.finditer(text):
        found = " ".join(re.split(r"[\s\-/]+", match.group(0)))
        hits = by_term.get(found) or by_term.get(re.sub(r"(?:es|s)$", "", found)) or by_term.get(found[:-1])
        out.extend(hits or ())
    return out


def _scores(title: str, description: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for text, factor in ((_normalise(title), 1.0), (_normalise(description), 0.4)):
        if not text:
            continue
        for category, weight in _matches(text):
            scores[category] = scores.get(category, 0.0) + weight * factor
        for category, words in _RULES_ZH.items():
            hits = sum(1 for w in words if w in text)
            if hits:
                scores[category] = scores.get(category, 0.0) + 1.0 * factor * hits
    return scores


def categorise(title: str, description: str = "") -> tuple[str, float]:
    """The best category slug for a product and a confidence in [0, 1].

    The title counts fully, the description at 0.4. Returns
    ``(UNCATEGORISED, 0.0)`` when no term matches.
    """
    scores = _scores(title or "", description or "")
    if not scores:
        return UNCATEGORISED, 0.0
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    margin = top / (top + second)
    strength = min(1.0, top / 1.0)
    confidence = round(0.95 * margin * strength, 3)
    return best, max(0.05, min(1.0, confidence))
