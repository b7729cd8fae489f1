"""Vocabulary of the demo catalogue: colours, materials, sizes, brands (EN + ZH).

Pure data tables written for greencart (no copied data). Footprint factors are
*relative* multipliers against the conventional material of a product type;
:mod:`greencart.demo.product_types` gives each type its absolute intensity in
kg CO2e per kg. The figures are synthetic but ordered the way life-cycle
studies usually order them (recycled < virgin, plant < animal, refurbished < new).
Other modules (the assistant's understanding in English and Chinese) may use
``COLOURS`` and ``MATERIALS`` to map words to attribute values.
"""

# ruff: noqa: E501  (pure data tables: one product type or material per entry)
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Material:
    name: str  # as written in English text and in attributes["material"]
    zh: str
    footprint_factor: float  # relative to the conventional material of a type
    price_factor: float


@dataclass(frozen=True)
class Size:
    en: str
    zh: str
    weight_scale: float = 1.0
    price_scale: float = 1.0


@dataclass(frozen=True)
class Condition:
    name: str
    zh: str
    footprint_factor: float
    price_factor: float


COLOURS: dict[str, str] = {
    "black": "黑色", "white": "白色", "navy": "藏青色", "grey": "灰色", "charcoal": "炭灰色",
    "beige": "米色", "cream": "奶油色", "red": "红色", "burgundy": "酒红色", "pink": "粉色",
    "orange": "橙色", "yellow": "黄色", "mustard": "芥末黄", "green": "绿色", "olive": "橄榄绿",
    "sage": "鼠尾草绿", "blue": "蓝色", "sky blue": "天蓝色", "teal": "蓝绿色", "purple": "紫色",
    "brown": "棕色", "tan": "驼色", "silver": "银色", "space grey": "深空灰", "gold": "金色",
    "natural": "本色", "multicolour": "多色", "clear": "透明", "terracotta": "陶土色",
}

PALETTES: dict[str, tuple[str, ...]] = {
    "clothing": ("black", "white", "navy", "grey", "charcoal", "beige", "cream", "red", "burgundy",
                 "pink", "green", "olive", "sage", "blue", "sky blue", "mustard", "brown"),
    "outdoor": ("black", "navy", "olive", "red", "yellow", "blue", "teal", "grey", "orange"),
    "shoes": ("black", "white", "grey", "navy", "tan", "brown", "red", "green", "blue", "pink"),
    "neutral": ("black", "white", "grey", "charcoal", "beige", "cream", "natural"),
    "home": ("white", "cream", "grey", "charcoal", "sage", "navy", "mustard", "terracotta",
             "pink", "blue", "natural", "green"),
    "wood": ("natural", "white", "black", "grey", "brown"),
    "upholstery": ("grey", "charcoal", "navy", "sage", "mustard", "cream", "green", "pink", "terracotta"),
    "tech": ("black", "white", "silver", "space grey", "blue", "green", "pink"),
    "appliance": ("black", "white", "silver", "cream", "red", "sage", "blue"),
    "bright": ("red", "yellow", "blue", "green", "orange", "pink", "purple", "multicolour"),
    "care": ("white", "black", "green", "blue", "pink", "natural", "clear"),
    "garden": ("green", "black", "grey", "terracotta", "natural", "sage"),
    "sport": ("black", "blue", "red", "green", "purple", "pink", "grey", "orange", "teal"),
    "stationery": ("black", "blue", "red", "green", "yellow", "pink", "white", "multicolour"),
    "natural": ("natural",),
    "multicolour-only": ("multicolour",),
}


def _m(name: str, zh: str, footprint: float, price: float) -> Material:
    return Material(name, zh, footprint, price)


_MATERIAL_LIST: tuple[Material, ...] = (
    # textiles
    _m("cotton", "棉", 1.0, 1.0), _m("organic cotton", "有机棉", 0.55, 1.25),
    _m("recycled cotton", "再生棉", 0.4, 1.1), _m("polyester", "涤纶", 1.15, 0.8),
    _m("recycled polyester", "再生涤纶", 0.6, 1.05), _m("nylon", "尼龙", 1.35, 0.95),
    _m("recycled nylon", "再生尼龙", 0.6, 1.15), _m("wool", "羊毛", 1.5, 1.5),
    _m("merino wool", "美利奴羊毛", 1.6, 1.9), _m("recycled wool", "再生羊毛", 0.45, 1.3),
    _m("acrylic", "腈纶", 1.3, 0.7), _m("cashmere", "羊绒", 3.5, 3.2),
    _m("linen", "亚麻", 0.5, 1.35), _m("hemp", "汉麻", 0.4, 1.3),
    _m("lyocell", "莱赛尔纤维", 0.5, 1.2), _m("viscose", "粘胶纤维", 0.9, 0.9),
    _m("silk", "真丝", 2.5, 3.0), _m("down", "羽绒", 1.4, 1.8),
    _m("recycled down", "再生羽绒", 0.5, 1.6), _m("microfibre", "超细纤维", 1.1, 0.7),
    _m("bamboo viscose", "竹纤维", 0.75, 1.05), _m("velvet", "丝绒", 1.2, 1.2),
    _m("polypropylene", "聚丙烯", 1.1, 0.7), _m("jute", "黄麻", 0.35, 0.9),
    _m("memory foam", "记忆棉", 1.3, 1.3), _m("canvas", "帆布", 0.6, 0.85),
    _m("cotton canvas", "棉帆布", 0.8, 1.1), _m("neoprene", "氯丁橡胶", 1.3, 1.0),
    # footwear
    _m("leather", "皮革", 1.7, 1.6), _m("suede", "麂皮", 1.6, 1.5),
    _m("synthetic mesh", "合成网布", 1.0, 0.9), _m("synthetic", "合成材料", 1.0, 0.8),
    _m("plant-based leather", "植物基皮革", 0.6, 1.4), _m("natural rubber", "天然橡胶", 0.6, 1.0),
    _m("cork", "软木", 0.4, 1.2), _m("EVA foam", "EVA泡棉", 1.0, 0.7),
    _m("felt", "毛毡", 0.9, 1.0),
    # plastics and packaging
    _m("plastic", "塑料", 1.0, 1.0), _m("recycled plastic", "再生塑料", 0.45, 1.1),
    _m("plant-based plastic", "植物基塑料", 0.6, 1.15), _m("PVC", "PVC", 1.4, 0.8),
    _m("TPE", "TPE", 1.0, 1.0), _m("polycarbonate", "聚碳酸酯", 1.1, 1.0),
    _m("natural latex", "天然乳胶", 0.5, 1.1), _m("plastic bottle", "塑料瓶装", 1.0, 1.0),
    _m("recycled plastic bottle", "再生塑料瓶装", 0.7, 1.05), _m("refill pouch", "补充装", 0.45, 0.85),
    _m("plastic-free bar", "无塑料块状", 0.3, 1.1), _m("glass jar", "玻璃瓶装", 1.3, 1.2),
    _m("aluminium bottle", "铝瓶装", 1.1, 1.15), _m("cardboard tube", "纸管装", 0.4, 1.1),
    _m("aluminium can", "铝罐装", 1.2, 1.0), _m("carton", "纸盒装", 0.7, 1.0),
    _m("paper packet", "纸袋装", 0.8, 1.0), _m("recycled paper packet", "再生纸袋装", 0.45, 1.0),
    _m("plastic packet", "塑料袋装", 1.0, 1.0),
    # wood, metal, minerals, paper
    _m("solid oak", "实心橡木", 1.3, 1.8), _m("walnut", "胡桃木", 1.35, 2.1),
    _m("beech", "山毛榉木", 0.9, 1.3), _m("FSC pine", "FSC认证松木", 0.7, 1.0),
    _m("reclaimed wood", "回收木材", 0.25, 1.3), _m("MDF", "中密度纤维板", 0.9, 0.6),
    _m("bamboo", "竹", 0.35, 1.1), _m("rattan", "藤编", 0.4, 1.2),
    _m("acacia", "相思木", 0.6, 1.2), _m("teak", "柚木", 1.4, 1.9),
    _m("polyrattan", "仿藤", 1.2, 0.9), _m("birch plywood", "桦木胶合板", 0.7, 1.1),
    _m("steel", "钢", 1.2, 1.0), _m("stainless steel", "不锈钢", 1.3, 1.25),
    _m("recycled steel", "再生钢", 0.5, 1.1), _m("galvanised steel", "镀锌钢", 1.25, 1.0),
    _m("cast iron", "铸铁", 1.1, 1.0), _m("aluminium", "铝", 1.6, 1.2),
    _m("recycled aluminium", "再生铝", 0.35, 1.25), _m("carbon fibre", "碳纤维", 2.5, 2.5),
    _m("zinc alloy", "锌合金", 1.5, 1.1), _m("glass", "玻璃", 0.9, 1.0),
    _m("recycled glass", "再生玻璃", 0.6, 1.05), _m("ceramic", "陶瓷", 0.9, 1.0),
    _m("terracotta", "陶土", 0.7, 0.9), _m("graphite", "石墨复合材料", 1.3, 1.4),
    _m("paper", "纸", 1.0, 1.0), _m("recycled paper", "再生纸", 0.5, 1.0),
    _m("cardboard", "纸板", 1.0, 1.0), _m("recycled cardboard", "再生纸板", 0.5, 1.0),
    _m("plant fibre", "植物纤维", 0.4, 1.0),
    # garden media
    _m("peat-based compost", "含泥炭", 2.5, 0.9), _m("peat-free compost", "无泥炭", 0.6, 1.1),
    # food: main ingredient (relative to a mixed product of the type)
    _m("beef", "牛肉", 4.0, 1.5), _m("lamb", "羊肉", 3.0, 1.6), _m("pork", "猪肉", 1.1, 1.1),
    _m("chicken", "鸡肉", 0.9, 1.0), _m("salmon", "三文鱼", 1.1, 1.5), _m("prawn", "大虾", 1.7, 1.6),
    _m("tofu", "豆腐", 0.35, 0.9), _m("lentil", "扁豆", 0.25, 0.8), _m("chickpea", "鹰嘴豆", 0.25, 0.8),
    _m("vegetable", "蔬菜", 0.3, 0.8), _m("mushroom", "蘑菇", 0.35, 0.9),
    _m("pea protein", "豌豆蛋白", 0.2, 1.05), _m("dairy", "牛奶", 1.0, 1.0),
    _m("oat", "燕麦", 0.3, 1.1), _m("almond", "杏仁", 0.55, 1.2), _m("soya", "豆", 0.33, 1.0),
    _m("coconut", "椰子", 0.6, 1.15), _m("arabica", "阿拉比卡", 1.0, 1.0),
    _m("organic arabica", "有机阿拉比卡", 0.75, 1.25), _m("shade-grown arabica", "林荫阿拉比卡", 0.5, 1.35), _m("robusta", "罗布斯塔", 0.85, 0.8),
    _m("black tea", "红茶", 1.0, 1.0), _m("green tea", "绿茶", 0.9, 1.1),
    _m("rooibos", "路易波士", 0.7, 1.1), _m("peppermint", "薄荷", 0.5, 1.0),
    _m("milk chocolate", "牛奶巧克力", 1.2, 1.0), _m("dark chocolate", "黑巧克力", 0.9, 1.1),
    _m("oat milk chocolate", "燕麦奶巧克力", 0.6, 1.2), _m("white chocolate", "白巧克力", 1.3, 1.0),
    _m("cheddar", "切达", 1.0, 1.0), _m("plant-based cheddar", "植物基切达", 0.25, 1.1),
    _m("goat's cheese", "山羊奶酪", 0.9, 1.3), _m("mozzarella", "马苏里拉", 0.7, 1.0),
    _m("basmati rice", "印度香米", 1.0, 1.0), _m("brown rice", "糙米", 0.9, 1.0),
    _m("jasmine rice", "茉莉香米", 1.0, 1.05), _m("pearl barley", "珍珠大麦", 0.25, 0.9),
    _m("bulgur wheat", "布格麦", 0.3, 1.0), _m("quinoa", "藜麦", 0.45, 1.6), _m("durum wheat", "硬粒小麦", 1.0, 1.0),
    _m("wholewheat", "全麦", 0.9, 1.05), _m("red lentil", "红扁豆", 0.7, 1.2),
    _m("orange", "橙", 1.0, 1.0), _m("apple", "苹果", 0.6, 0.9),
)

MATERIALS: dict[str, Material] = {m.name: m for m in _MATERIAL_LIST}

# Notes added to some descriptions; written for the demo, not marketing claims of a real seller.
MATERIAL_NOTES: dict[str, str] = {
    "organic cotton": "The cotton is grown without synthetic pesticides or fertilisers.",
    "recycled cotton": "Made from cotton offcuts collected from garment factories.",
    "recycled polyester": "The polyester is spun from recycled plastic bottles.",
    "recycled nylon": "The nylon is regenerated from fishing nets and fabric waste.",
    "recycled wool": "Made from reclaimed wool garments, re-spun into new yarn.",
    "recycled down": "Filled with down recovered from old duvets and pillows.",
    "linen": "Linen from flax, which needs little water or fertiliser to grow.",
    "hemp": "Hemp grows quickly with little water and no pesticides.",
    "lyocell": "Lyocell fibre is made from wood pulp in a closed-loop process.",
    "plant-based leather": "A leather alternative made partly from plant waste.",
    "cork": "Cork is harvested from the bark of living cork oaks.",
    "recycled plastic": "Moulded from post-consumer recycled plastic.",
    "plant-based plastic": "Made from plastic derived from sugarcane.",
    "bamboo": "Bamboo is a fast-growing grass that needs no replanting.",
    "reclaimed wood": "Built from timber reclaimed from old buildings.",
    "FSC pine": "The pine comes from FSC-certified forests.",
    "recycled aluminium": "The aluminium is recycled, which takes far less energy than new metal.",
    "recycled steel": "The steel is melted down from scrap, which needs far less energy than new steel.",
    "recycled paper": "Printed on 100% recycled paper.",
    "recycled cardboard": "Recycled board printed with plant-based inks.",
    "peat-free compost": "Peat-free, so no peat bogs are dug to make it.",
    "refill pouch": "A refill pouch that uses less packaging than a new bottle.",
    "plastic-free bar": "A solid bar with paper packaging and no plastic.",
    "natural rubber": "Natural rubber tapped from rubber trees.",
    "natural latex": "Natural latex tapped from rubber trees.",
    "lentil": "A plant-based recipe with a much lower footprint than a meat version.",
    "pea protein": "Plant-based, made with pea protein.",
    "shade-grown arabica": "Grown under a forest canopy that stores carbon and shelters wildlife.",
    "oat": "Made from oats grown in northern Europe.",
    "plant-based cheddar": "A plant-based alternative made with coconut oil.",
}

# How a packaging "material" reads in a sentence ("shampoo in a refill pouch").
PACKAGING_PHRASES: dict[str, str] = {
    "plastic bottle": "in a plastic bottle", "recycled plastic bottle": "in a recycled plastic bottle",
    "refill pouch": "in a refill pouch", "plastic-free bar": "as a plastic-free bar",
    "glass jar": "in a glass jar", "aluminium bottle": "in a refillable aluminium bottle",
    "cardboard tube": "in a cardboard tube", "aluminium can": "in an aluminium can", "carton": "in a carton",
    "paper packet": "in a paper packet", "recycled paper packet": "in a recycled paper packet",
    "plastic packet": "in a plastic packet",
}

CONDITIONS: dict[str, Condition] = {
    "refurbished": Condition("refurbished", "翻新", 0.25, 0.65),
    "pre-owned": Condition("pre-owned", "二手", 0.15, 0.5),
}


def _sizes(*rows: tuple[str, str, float, float]) -> tuple[Size, ...]:
    return tuple(Size(*r) for r in rows)


SIZES: dict[str, tuple[Size, ...]] = {
    "one": (Size("one size", "均码"),),
    "apparel": _sizes(("XS", "XS码", 0.85, 1.0), ("S", "S码", 0.92, 1.0), ("M", "M码", 1.0, 1.0),
                      ("L", "L码", 1.08, 1.0), ("XL", "XL码", 1.15, 1.0), ("XXL", "XXL码", 1.22, 1.05)),
    "kids": _sizes(("2-3 years", "2-3岁", 0.5, 0.6), ("4-5 years", "4-5岁", 0.6, 0.7),
                   ("6-7 years", "6-7岁", 0.7, 0.8), ("8-9 years", "8-9岁", 0.8, 0.85)),
    "shoes": tuple(Size(f"UK {n}", f"英码{n}码", 0.85 + 0.03 * (n - 3), 1.0) for n in range(3, 13)),
    "socks": _sizes(("UK 4-7", "英码4-7", 0.9, 1.0), ("UK 7-11", "英码7-11", 1.1, 1.0)),
    "bed": _sizes(("Single", "单人", 0.75, 0.8), ("Double", "双人", 1.0, 1.0),
                  ("King", "大双人", 1.2, 1.15), ("Super King", "特大双人", 1.35, 1.3)),
    "towel": _sizes(("hand towel", "毛巾", 0.35, 0.45), ("bath towel", "浴巾", 1.0, 1.0),
                    ("bath sheet", "大浴巾", 1.5, 1.4)),
    "rug": _sizes(("80 x 150 cm", "80x150厘米", 0.45, 0.5), ("120 x 170 cm", "120x170厘米", 1.0, 1.0),
                  ("160 x 230 cm", "160x230厘米", 1.8, 1.7)),
    "curtain": _sizes(("117 x 137 cm", "117x137厘米", 0.8, 0.85), ("168 x 183 cm", "168x183厘米", 1.0, 1.0),
                      ("229 x 229 cm", "229x229厘米", 1.5, 1.35)),
    "cushion": _sizes(("45 x 45 cm", "45x45厘米", 1.0, 1.0), ("60 x 60 cm", "60x60厘米", 1.6, 1.3)),
    "sofa": _sizes(("2-seater", "双人位", 0.8, 0.85), ("3-seater", "三人位", 1.0, 1.0),
                   ("corner", "转角", 1.5, 1.45)),
    "table": _sizes(("4-seater", "四人", 0.8, 0.85), ("6-seater", "六人", 1.0, 1.0),
                    ("8-seater", "八人", 1.3, 1.3)),
    "laptop": _sizes(("8GB RAM, 256GB SSD", "8GB内存 256GB固态", 1.0, 0.85),
                     ("16GB RAM, 512GB SSD", "16GB内存 512GB固态", 1.0, 1.0),
                     ("32GB RAM, 1TB SSD", "32GB内存 1TB固态", 1.02, 1.35)),
    "storage": _sizes(("128GB", "128GB", 1.0, 0.85), ("256GB", "256GB", 1.0, 1.0),
                      ("512GB", "512GB", 1.0, 1.25)),
    "screen": _sizes(('24-inch', "24英寸", 0.8, 0.8), ('27-inch', "27英寸", 1.0, 1.0),
                     ('32-inch', "32英寸", 1.35, 1.4)),
    "meal": _sizes(("400 g", "400克", 1.0, 1.0), ("800 g", "800克", 2.0, 1.8)),
    "pack4": _sizes(("2 pack", "2只装", 0.5, 0.55), ("4 pack", "4只装", 1.0, 1.0)),
    "litre": _sizes(("1 L", "1升", 1.0, 1.0), ("6 x 1 L", "1升x6", 6.0, 5.5)),
    "coffee": _sizes(("250 g", "250克", 0.25, 0.3), ("500 g", "500克", 0.5, 0.55), ("1 kg", "1公斤", 1.0, 1.0)),
    "tea": _sizes(("40 bags", "40包", 0.5, 0.55), ("80 bags", "80包", 1.0, 1.0), ("250 g loose", "散装250克", 1.1, 1.2)),
    "bar": _sizes(("100 g", "100克", 1.0, 1.0), ("3 x 100 g", "100克x3", 3.0, 2.7)),
    "cheese": _sizes(("200 g", "200克", 1.0, 1.0), ("400 g", "400克", 2.0, 1.8)),
    "dry": _sizes(("500 g", "500克", 0.5, 0.55), ("1 kg", "1公斤", 1.0, 1.0), ("2 kg", "2公斤", 2.0, 1.8)),
    "pot": _sizes(("500 g", "500克", 1.0, 1.0), ("4 x 125 g", "125克x4", 1.0, 1.1)),
    "bottle": _sizes(("250 ml", "250毫升", 1.0, 1.0), ("500 ml", "500毫升", 1.9, 1.6)),
    "small-pack": _sizes(("single", "单只装", 1.0, 1.0), ("pack of 4", "4只装", 4.0, 3.3)),
    "pens": _sizes(("pack of 4", "4支装", 1.0, 1.0), ("pack of 10", "10支装", 2.4, 2.1)),
    "paper": _sizes(("A5", "A5", 0.5, 0.8), ("A4", "A4", 1.0, 1.0)),
    "compost": _sizes(("40 L", "40升", 0.7, 0.75), ("60 L", "60升", 1.0, 1.0), ("3 x 50 L", "50升x3", 2.5, 2.3)),
    "pot-size": _sizes(("15 cm", "15厘米", 0.5, 0.6), ("25 cm", "25厘米", 1.0, 1.0), ("40 cm", "40厘米", 2.2, 1.9)),
    "bike": _sizes(("small frame", "小号车架", 0.93, 1.0), ("medium frame", "中号车架", 1.0, 1.0),
                   ("large frame", "大号车架", 1.07, 1.0)),
    "weights": _sizes(("2 x 2 kg", "2公斤x2", 0.4, 0.5), ("2 x 5 kg", "5公斤x2", 1.0, 1.0),
                      ("2 x 10 kg", "10公斤x2", 2.0, 1.7)),
    "tent": _sizes(("2-person", "双人", 0.7, 0.75), ("4-person", "四人", 1.0, 1.0), ("6-person", "六人", 1.5, 1.4)),
}

BRANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "apparel": (("Northloom", "诺斯织"), ("Kestrel & Co", "红隼"), ("Fieldmark", "野标"),
                ("Urbanweave", "城织"), ("Tidewell", "潮井")),
    "footwear": (("Stridewell", "步好"), ("Cobble & Lane", "石巷"), ("Fellrunner", "山跑者"),
                 ("Marlow Steps", "马洛步")),
    "electronics": (("Halden", "哈尔登"), ("Voltaro", "沃塔罗"), ("Nimbus Labs", "云雨实验室"),
                    ("Quillon", "奎隆")),
    "small-appliances": (("Hearthly", "炉边"), ("Brewmont", "酿山"), ("Kitchara", "厨悦"),
                         ("Zephyr Home", "和风家")),
    "food-drink": (("Greenfield Larder", "绿野食仓"), ("Harbour & Hearth", "港炉"),
                   ("Little Orchard", "小果园"), ("Millstone", "磨石")),
    "home-textiles": (("Linden House", "椴树屋"), ("Softhaven", "柔港"), ("Woolacombe", "伍拉科姆"),
                      ("Loom & Nest", "织巢")),
    "furniture": (("Oakridge", "橡岭"), ("Nordhem", "诺德海姆"), ("Calder & Finch", "卡尔德"),
                  ("Studio Birch", "桦木工作室")),
    "personal-care": (("Purely", "纯然"), ("Seabright", "海光"), ("Botanica Lane", "植物巷"),
                      ("Clearwell", "清泉")),
    "toys": (("Tumbletown", "翻滚镇"), ("Little Acorn", "小橡果"), ("Brightblock", "亮积木"),
             ("Wonderkin", "奇童")),
    "stationery": (("Inkwell & Quire", "墨纸坊"), ("Papermint", "纸薄荷"), ("Scribe Co", "书写社"),
                   ("Linea", "线迹")),
    "garden": (("Greenthumb", "绿拇指"), ("Rootstock", "根本"), ("Hedgerow", "树篱"),
               ("Meadowsweet", "绣线菊")),
    "sports": (("Peakform", "巅峰"), ("Trailhead", "步道口"), ("Corefit", "核心健身"),
               ("Vantage Sport", "优势运动")),
}
