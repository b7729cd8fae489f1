"""Product types of the demo catalogue, per category (pure data, written for greencart).

Each type gives English and Chinese names, a base price range in GBP and a
weight range in kg before material, style and size factors, its footprint
intensity in kg CO2e per kg for the conventional material (synthetic but of a
plausible magnitude), the materials it comes in (lower- and higher-footprint
alternatives), styles, a colour palette and a size table from
:mod:`greencart.demo.vocab`, and one sentence each on use and care.
Styles are written ``"English/中文"`` or ``"English/中文/price factor/footprint factor"``.
"""

# ruff: noqa: E501  (pure data tables: one product type or material per entry)
from __future__ import annotations

from dataclasses import dataclass

HEAD_ORDER = ("condition", "brand", "material", "style", "type")
_STYLE_FIRST = ("condition", "brand", "style", "material", "type")


@dataclass(frozen=True)
class Style:
    en: str
    zh: str
    price_factor: float = 1.0
    footprint_factor: float = 1.0


@dataclass(frozen=True)
class ProductType:
    category: str
    name: str  # attributes["type"], lower case English
    en: str  # as written in titles
    zh: str
    price_gbp: tuple[float, float]
    weight_kg: tuple[float, float]
    intensity_kg_co2e_per_kg: float
    materials: tuple[str, ...]
    styles: tuple[Style, ...]
    palette: str
    sizes: str
    use: str
    care: str
    share: float = 1.0
    conditions: tuple[str, ...] = ()
    material_sensitivity: float = 1.0
    head_order: tuple[str, ...] = HEAD_ORDER
    material_zh: tuple[tuple[str, str], ...] = ()


def _styles(spec: str) -> tuple[Style, ...]:
    out = []
    for item in spec.split(";"):
        parts = [p.strip() for p in item.split("/")]
        factors = [float(p) for p in parts[2:]]
        out.append(Style(parts[0], parts[1], *factors))
    return tuple(out)


def _t(category: str, name: str, en: str, zh: str, price: tuple[float, float], kg: tuple[float, float],
       intensity: float, materials: str, styles: str, palette: str, sizes: str, use: str, care: str,
       **extra: object) -> ProductType:
    mats = tuple(m.strip() for m in materials.split(","))
    return ProductType(category, name, en, zh, price, kg, intensity, mats, _styles(styles),
                       palette, sizes, use, care, **extra)  # type: ignore[arg-type]


_WASH30 = "Machine wash at 30°C and line dry."
_WIPE = "Wipe clean with a damp cloth."
_ELEC = "Recycle it through a WEEE collection point at the end of its life."
_FOOD = "Store in a cool, dry place and check the pack for allergens."
_CHILL = "Keep refrigerated and eat within two days of opening."

APPAREL = (
    _t("apparel", "t-shirt", "T-Shirt", "T恤", (8, 30), (0.15, 0.24), 25,
       "cotton, organic cotton, recycled cotton, polyester, recycled polyester, hemp",
       "Crew-Neck/圆领; V-Neck/V领; Oversized/宽松; Slim-Fit/修身; Long-Sleeve/长袖/1.2/1.3; "
       "Pocket/口袋; Striped/条纹", "clothing", "apparel",
       "A wardrobe staple for everyday wear.", _WASH30, share=1.6),
    _t("apparel", "jumper", "Jumper", "毛衣", (25, 110), (0.35, 0.7), 22,
       "wool, merino wool, recycled wool, acrylic, cashmere, cotton, organic cotton",
       "Crew-Neck/圆领; Roll-Neck/高领; Cable-Knit/绞花针织; V-Neck/V领; Chunky/粗针/1.1/1.2",
       "clothing", "apparel", "Warm enough for cold days and easy to layer.",
       "Hand wash cold and dry flat.", share=1.3),
    _t("apparel", "jeans", "Jeans", "牛仔裤", (30, 110), (0.6, 0.9), 25,
       "cotton, organic cotton, recycled cotton, hemp",
       "Slim/修身; Straight-Leg/直筒; Relaxed/宽松; Skinny/紧身; Bootcut/微喇", "clothing", "apparel",
       "Five-pocket denim cut for comfort all day.", "Wash inside out at 30°C, less often than you think.",
       share=1.2),
    _t("apparel", "hoodie", "Hoodie", "连帽衫", (25, 75), (0.45, 0.8), 24,
       "cotton, organic cotton, recycled cotton, polyester, recycled polyester",
       "Zip-Through/拉链; Pullover/套头; Oversized/宽松; Heavyweight/厚款/1.15/1.25", "clothing", "apparel",
       "Soft brushed fleece inside for lounging or the school run.", _WASH30),
    _t("apparel", "dress", "Dress", "连衣裙", (25, 120), (0.2, 0.5), 24,
       "viscose, lyocell, linen, polyester, organic cotton, silk",
       "Midi/中长款; Wrap/裹身; Shirt/衬衫式; Maxi/长款/1.1/1.2; Slip/吊带", "clothing", "apparel",
       "Easy to dress up or down, from the office to the weekend.", "Machine wash at 30°C on a delicate cycle."),
    _t("apparel", "shirt", "Shirt", "衬衫", (20, 80), (0.2, 0.35), 24,
       "cotton, organic cotton, linen, polyester, hemp, lyocell",
       "Oxford/牛津纺; Button-Down/扣领; Short-Sleeve/短袖/0.9/0.85; Grandad-Collar/无领; Flannel/法兰绒",
       "clothing", "apparel", "Smart enough for work, relaxed enough for the weekend.",
       "Machine wash at 40°C and iron while damp."),
    _t("apparel", "rain jacket", "Rain Jacket", "雨衣外套", (40, 200), (0.35, 0.9), 30,
       "nylon, recycled nylon, polyester, recycled polyester",
       "Packable/可收纳; Hooded/连帽; Waterproof/防水; Lightweight/轻便/0.9/0.85", "outdoor", "apparel",
       "Keeps the rain out on walks and commutes.", "Wash at 30°C and reproof when water stops beading."),
    _t("apparel", "puffer jacket", "Puffer Jacket", "羽绒服", (60, 250), (0.6, 1.2), 28,
       "polyester, recycled polyester, down, recycled down, nylon",
       "Longline/长款/1.2/1.3; Cropped/短款; Hooded/连帽; Quilted/绗缝", "outdoor", "apparel",
       "An insulated jacket for the coldest days.", "Wash at 30°C with a down-safe detergent and tumble dry low."),
    _t("apparel", "socks", "Socks", "袜子", (5, 18), (0.06, 0.12), 20,
       "cotton, organic cotton, merino wool, bamboo viscose, nylon, recycled polyester",
       "Ankle/船袜; Crew/中筒; Hiking/徒步/1.3/1.3; 3-Pack/三双装/2.5/3", "clothing", "socks",
       "Cushioned where it counts and breathable.", "Machine wash at 40°C."),
    _t("apparel", "kids t-shirt", "Kids T-Shirt", "儿童T恤", (5, 15), (0.08, 0.14), 25,
       "cotton, organic cotton, recycled polyester, polyester",
       "Dinosaur-Print/恐龙印花; Rainbow/彩虹; Striped/条纹; Plain/纯色", "clothing", "kids",
       "Made for play, with a soft tag-free neck.", "Machine wash at 40°C, tumble dry low."),
)

FOOTWEAR = (
    _t("footwear", "running shoes", "Running Shoes", "跑鞋", (45, 160), (0.5, 0.8), 18,
       "synthetic mesh, recycled polyester, merino wool, EVA foam",
       "Road/公路; Trail/越野/1.1/1.1; Lightweight/轻量; Stability/稳定支撑/1.1/1.05; Cushioned/缓震",
       "shoes", "shoes", "Responsive cushioning for daily runs.", "Clean with a soft brush; do not machine dry.",
       share=1.4),
    _t("footwear", "trainers", "Trainers", "运动休闲鞋", (35, 130), (0.7, 1.1), 17,
       "leather, canvas, synthetic, plant-based leather, suede, recycled polyester",
       "Low-Top/低帮; High-Top/高帮/1.1/1.15; Retro/复古; Court/板鞋", "shoes", "shoes",
       "Everyday trainers with a grippy rubber sole.", _WIPE, share=1.4),
    _t("footwear", "boots", "Boots", "靴子", (60, 220), (1.0, 1.8), 16,
       "leather, suede, synthetic, plant-based leather, recycled polyester",
       "Chelsea/切尔西; Hiking/登山/1.15/1.1; Ankle/短筒; Lace-Up/系带", "shoes", "shoes",
       "Built for wet pavements and muddy paths.", "Brush off dirt and treat the upper twice a season."),
    _t("footwear", "sandals", "Sandals", "凉鞋", (15, 80), (0.3, 0.6), 14,
       "cork, leather, natural rubber, EVA foam, recycled plastic",
       "Slider/拖鞋式; Two-Strap/双带; Trekking/徒步/1.2/1.1; Flat/平底", "shoes", "shoes",
       "Light and comfortable for summer days.", "Rinse with cool water and dry out of direct sun."),
    _t("footwear", "slippers", "Slippers", "拖鞋", (12, 45), (0.2, 0.4), 14,
       "wool, recycled polyester, felt, cotton, polyester",
       "Moccasin/莫卡辛; Mule/穆勒; Bootie/靴式", "shoes", "shoes",
       "Warm, soft slippers for the house.", "Spot clean and air dry."),
    _t("footwear", "school shoes", "School Shoes", "校鞋", (25, 55), (0.4, 0.7), 17,
       "leather, synthetic, plant-based leather",
       "Velcro/魔术贴; Lace-Up/系带; Buckle/搭扣", "neutral", "shoes",
       "Scuff-resistant toes for the playground.", _WIPE, share=0.6),
)

ELECTRONICS = (
    _t("electronics", "laptop", "Laptop", "笔记本电脑", (450, 1500), (1.2, 2.0), 160,
       "aluminium, recycled aluminium, plastic, recycled plastic",
       '13-inch/13英寸/1.0/0.9; 14-inch/14英寸; 15-inch/15英寸/1.1/1.1; 2-in-1/二合一/1.1/1.0',
       "tech", "laptop", "A thin and light laptop for work, study and streaming.", _ELEC,
       share=1.4, conditions=("refurbished",), material_sensitivity=0.25),
    _t("electronics", "smartphone", "Smartphone", "智能手机", (180, 1000), (0.16, 0.22), 380,
       "aluminium, recycled aluminium, glass, plastic, recycled plastic",
       '6.1-inch/6.1英寸; 6.7-inch/6.7英寸/1.15/1.1; Compact/小屏/0.9/0.9', "tech", "storage",
       "A 5G smartphone with an all-day battery and a sharp camera.", _ELEC,
       share=1.4, conditions=("refurbished",), material_sensitivity=0.2),
    _t("electronics", "tablet", "Tablet", "平板电脑", (150, 800), (0.35, 0.65), 200,
       "aluminium, recycled aluminium, plastic", '10-inch/10英寸; 11-inch/11英寸/1.1/1.05; 8-inch/8英寸/0.8/0.8',
       "tech", "storage", "For reading, drawing and video calls.", _ELEC,
       conditions=("refurbished",), material_sensitivity=0.25),
    _t("electronics", "headphones", "Headphones", "头戴式耳机", (40, 350), (0.22, 0.35), 45,
       "plastic, recycled plastic, aluminium", "Noise-Cancelling/降噪/1.4/1.1; Wireless/无线; Studio/录音室",
       "tech", "one", "Over-ear headphones with deep bass and a comfortable fit.", _ELEC,
       conditions=("refurbished",), material_sensitivity=0.3),
    _t("electronics", "earbuds", "Wireless Earbuds", "无线耳机", (25, 250), (0.04, 0.07), 250,
       "plastic, recycled plastic", "Noise-Cancelling/降噪/1.4/1.1; Sport/运动; In-Ear/入耳式",
       "tech", "one", "Pocketable earbuds with a charging case.", _ELEC,
       conditions=("refurbished",), material_sensitivity=0.3),
    _t("electronics", "smartwatch", "Smartwatch", "智能手表", (60, 450), (0.03, 0.06), 600,
       "aluminium, recycled aluminium, stainless steel, plastic", "GPS/GPS; Fitness/健身; LTE/蜂窝版/1.3/1.05",
       "tech", "one", "Tracks workouts, sleep and heart rate.", _ELEC,
       conditions=("refurbished",), material_sensitivity=0.3),
    _t("electronics", "e-reader", "E-Reader", "电子书阅读器", (70, 250), (0.17, 0.25), 180,
       "plastic, recycled plastic", "Waterproof/防水; Backlit/背光; Colour-Screen/彩屏/1.3/1.1",
       "tech", "one", "A glare-free screen that reads like paper.", _ELEC,
       conditions=("refurbished",), material_sensitivity=0.3, share=0.6),
    _t("electronics", "bluetooth speaker", "Bluetooth Speaker", "蓝牙音箱", (25, 250), (0.4, 1.2), 35,
       "plastic, recycled plastic, aluminium, recycled polyester",
       "Portable/便携; Waterproof/防水; Smart/智能/1.3/1.1", "tech", "one",
       "Room-filling sound for the kitchen or the park.", _ELEC, conditions=("refurbished",),
       material_sensitivity=0.3),
    _t("electronics", "monitor", "Monitor", "显示器", (110, 600), (4.5, 7.5), 65,
       "plastic, recycled plastic, aluminium", "Full HD/全高清/0.8/0.95; 4K/4K/1.4/1.05; USB-C/USB-C/1.2/1.0",
       "tech", "screen", "A sharp display for home working.", _ELEC,
       conditions=("refurbished",), material_sensitivity=0.25),
    _t("electronics", "keyboard", "Keyboard", "键盘", (20, 140), (0.5, 1.0), 25,
       "plastic, recycled plastic, aluminium, bamboo", "Wireless/无线; Mechanical/机械/1.5/1.2; Compact/紧凑",
       "tech", "one", "Comfortable, quiet keys for long typing sessions.", _ELEC, material_sensitivity=0.5),
    _t("electronics", "mouse", "Mouse", "鼠标", (10, 90), (0.07, 0.14), 60,
       "plastic, recycled plastic, plant-based plastic", "Wireless/无线; Ergonomic/人体工学/1.4/1.1; Gaming/游戏/1.5/1.2",
       "tech", "one", "Precise tracking on almost any surface.", _ELEC, material_sensitivity=0.5),
    _t("electronics", "power bank", "Power Bank", "充电宝", (15, 60), (0.2, 0.45), 40,
       "plastic, recycled plastic, aluminium", "10,000 mAh/10000毫安; 20,000 mAh/20000毫安/1.4/1.6; Slim/超薄",
       "tech", "one", "Charges a phone several times on the go.", _ELEC, material_sensitivity=0.4),
)

SMALL_APPLIANCES = (
    _t("small-appliances", "kettle", "Kettle", "电水壶", (20, 90), (0.9, 1.6), 14,
       "stainless steel, plastic, recycled plastic, glass",
       "Rapid-Boil/快煮; Variable-Temperature/控温/1.4/1.1; Cordless/无绳; Quiet-Boil/静音/1.2/1.0",
       "appliance", "one", "Boils a cup in under a minute; fill only what you need to save energy.",
       "Descale monthly in hard-water areas.", share=1.3, material_sensitivity=0.6),
    _t("small-appliances", "toaster", "Toaster", "多士炉", (20, 90), (1.2, 2.5), 12,
       "stainless steel, plastic, recycled plastic, aluminium", "2-Slice/两片; 4-Slice/四片/1.3/1.4; Long-Slot/长槽/1.2/1.2",
       "appliance", "one", "Even browning with a defrost setting.", "Empty the crumb tray weekly.",
       material_sensitivity=0.6),
    _t("small-appliances", "coffee machine", "Coffee Machine", "咖啡机", (60, 500), (3.0, 9.0), 16,
       "stainless steel, plastic, recycled plastic, aluminium",
       "Bean-to-Cup/全自动/1.8/1.3; Pod/胶囊/0.6/1.4; Espresso/意式; Filter/滴滤/0.5/0.8",
       "appliance", "one", "Café-style coffee at home.", "Descale every month and rinse the milk wand daily.",
       conditions=("refurbished",), material_sensitivity=0.5, share=1.2),
    _t("small-appliances", "blender", "Blender", "搅拌机", (25, 180), (1.5, 4.5), 13,
       "plastic, glass, stainless steel, recycled plastic", "Jug/杯式; Personal/便携/0.6/0.5; High-Speed/高速/1.6/1.3",
       "appliance", "one", "Smoothies, soups and sauces in seconds.", "The jug and blades are dishwasher safe.",
       material_sensitivity=0.5),
    _t("small-appliances", "vacuum cleaner", "Vacuum Cleaner", "吸尘器", (80, 450), (2.5, 7.0), 15,
       "plastic, recycled plastic", "Cordless Stick/无线手持/1.2/1.1; Cylinder/卧式; Robot/扫地机器人/1.4/1.2; Upright/立式",
       "appliance", "one", "Strong suction for carpets and hard floors.", "Empty the bin and wash the filter monthly.",
       conditions=("refurbished",), material_sensitivity=0.4, share=1.2),
    _t("small-appliances", "air fryer", "Air Fryer", "空气炸锅", (40, 180), (3.5, 7.0), 12,
       "plastic, stainless steel, recycled plastic", "Single-Drawer/单篮; Dual-Drawer/双篮/1.5/1.4; Compact/小巧/0.8/0.7",
       "appliance", "one", "Crisp results with less oil and less energy than an oven.",
       "The basket is dishwasher safe.", material_sensitivity=0.5, share=1.2),
    _t("small-appliances", "hair dryer", "Hair Dryer", "吹风机", (20, 300), (0.4, 0.8), 18,
       "plastic, recycled plastic", "Ionic/负离子; Travel/旅行/0.6/0.6; Diffuser/扩散/1.1/1.0",
       "appliance", "one", "Fast drying with three heat settings.", "Clean the air filter every few weeks.",
       material_sensitivity=0.5),
    _t("small-appliances", "steam iron", "Steam Iron", "蒸汽熨斗", (20, 120), (1.0, 2.0), 14,
       "plastic, stainless steel, ceramic, recycled plastic", "Steam/蒸汽; Steam Generator/蒸汽发生器/2.5/2.5; Travel/旅行/0.5/0.4",
       "appliance", "one", "Smooths creases fast with a burst of steam.", "Use the self-clean function monthly.",
       material_sensitivity=0.5),
    _t("small-appliances", "microwave", "Microwave", "微波炉", (60, 300), (10.0, 16.0), 12,
       "stainless steel, plastic, recycled steel", "Solo/单功能; Combination/组合/1.6/1.2; Grill/烧烤/1.2/1.1",
       "appliance", "one", "Quick reheating that uses less energy than an oven.", _WIPE, material_sensitivity=0.4),
    _t("small-appliances", "slow cooker", "Slow Cooker", "慢炖锅", (20, 80), (3.0, 5.5), 10,
       "ceramic, stainless steel, aluminium", "3.5 L/3.5升; 6.5 L/6.5升/1.3/1.3; Multi-Cooker/多功能/1.6/1.3",
       "appliance", "one", "Tender stews while you are out, at the power of a light bulb.",
       "The ceramic pot is dishwasher safe.", material_sensitivity=0.5),
    _t("small-appliances", "desk fan", "Desk Fan", "台式风扇", (15, 120), (1.0, 3.5), 12,
       "plastic, recycled plastic, aluminium", "Oscillating/摇头; Tower/塔式/1.4/1.4; Bladeless/无叶/2.0/1.2",
       "appliance", "one", "A quiet breeze on warm nights.", _WIPE, material_sensitivity=0.5),
)

FOOD_DRINK = (
    _t("food-drink", "ready meal", "Ready Meal", "即食餐", (2.5, 5.5), (0.4, 0.45), 3.0,
       "beef, lamb, chicken, pork, lentil, vegetable, chickpea, mushroom",
       "Lasagne/千层面; Curry/咖喱; Chilli/辣味炖菜; Cottage Pie/农舍派; Stew/炖菜; Bolognese/意面",
       "natural", "meal", "Ready in minutes in the microwave or oven.", _CHILL, share=1.6),
    _t("food-drink", "burgers", "Burgers", "汉堡肉饼", (2.5, 6), (0.45, 0.5), 6.0,
       "beef, lamb, chicken, pea protein, mushroom",
       "Classic/经典; Smoky/烟熏; Chargrilled/炭烤; Peppered/黑椒", "natural", "pack4",
       "Ready to grill or pan-fry in ten minutes.", _CHILL, head_order=_STYLE_FIRST),
    _t("food-drink", "milk", "Milk", "", (0.9, 2.2), (1.03, 1.06), 1.3,
       "dairy, oat, almond, soya, coconut", "Barista/咖啡师; Unsweetened/无糖; Organic/有机/1.2/0.9; Original/原味; Light/轻盈",
       "natural", "litre", "For coffee, cereal and cooking.", "Chill after opening and use within five days.",
       head_order=_STYLE_FIRST, share=1.3,
       material_zh=(("dairy", "牛奶"), ("oat", "燕麦奶"), ("almond", "杏仁奶"), ("soya", "豆奶"),
                    ("coconut", "椰奶"))),
    _t("food-drink", "coffee", "Coffee", "咖啡", (14, 30), (1.0, 1.0), 17,
       "arabica, organic arabica, shade-grown arabica, robusta", "Whole Bean/咖啡豆; Ground/研磨; Espresso Roast/意式烘焙; Decaf/低因/1.1/1.1",
       "natural", "coffee", "Roasted in small batches for a smooth, rich cup.", _FOOD),
    _t("food-drink", "tea", "Tea", "茶", (2.5, 7), (0.25, 0.25), 8,
       "black tea, green tea, rooibos, peppermint", "English Breakfast/英式早餐; Everyday/日常; Organic/有机/1.2/0.9; Earl Grey/伯爵",
       "natural", "tea", "A comforting brew any time of day.", _FOOD,
       head_order=_STYLE_FIRST,
       material_zh=(("black tea", "红"), ("green tea", "绿"), ("rooibos", "路易波士"), ("peppermint", "薄荷"))),
    _t("food-drink", "chocolate", "Bar", "巧克力", (1.0, 3.5), (0.1, 0.1), 8,
       "milk chocolate, dark chocolate, oat milk chocolate, white chocolate",
       "Sea Salt/海盐; Hazelnut/榛子; Orange/橙味; Plain/原味", "natural", "bar",
       "Fairly traded cocoa, smooth and rich.", _FOOD, head_order=_STYLE_FIRST, material_zh=(("milk chocolate", "牛奶"),
       ("dark chocolate", "黑"), ("oat milk chocolate", "燕麦奶"), ("white chocolate", "白"))),
    _t("food-drink", "cheese", "Cheese", "奶酪", (2.0, 5.0), (0.2, 0.2), 21,
       "cheddar, plant-based cheddar, goat's cheese, mozzarella", "Block/块装; Mild/温和; Grated/碎/1.1/1.05; Sliced/切片",
       "natural", "cheese", "For sandwiches, gratins and cheeseboards.", _CHILL,
       head_order=_STYLE_FIRST),
    _t("food-drink", "grains", "Grains", "谷物", (1.5, 4), (1.0, 1.0), 4,
       "basmati rice, brown rice, jasmine rice, pearl barley, bulgur wheat, quinoa",
       "Easy-Cook/易煮; Organic/有机/1.3/0.9; Wholegrain/全谷",
       "natural", "dry", "A quick base for curries, salads and stir-fries.", _FOOD,
       head_order=("condition", "brand", "style", "material")),
    _t("food-drink", "pasta", "Pasta", "意面", (1.0, 3.5), (0.5, 0.5), 1.5,
       "durum wheat, wholewheat, red lentil, chickpea", "Penne/通心粉; Fusilli/螺旋; Spaghetti/直条; Rigatoni/粗管",
       "natural", "dry", "Cooks in about ten minutes and holds sauce well.", _FOOD),
    _t("food-drink", "yoghurt", "Yoghurt", "酸奶", (1.0, 3.5), (0.5, 0.5), 2.5,
       "dairy, coconut, soya, oat", "Greek-Style/希腊式; Natural/原味; Strawberry/草莓; Vanilla/香草",
       "natural", "pot", "Creamy and thick, great with granola.", _CHILL,
       head_order=_STYLE_FIRST),
    _t("food-drink", "juice", "Juice", "果汁", (1.2, 3.5), (1.05, 1.1), 1.0,
       "orange, apple", "Not-From-Concentrate/非浓缩还原/1.2/1.1; Smooth/无果粒; With Bits/有果粒; Cloudy/浑浊",
       "natural", "litre", "Pressed fruit with nothing added.", "Chill after opening and use within three days.",
       share=0.7, head_order=_STYLE_FIRST),
)

HOME_TEXTILES = (
    _t("home-textiles", "duvet cover", "Duvet Cover Set", "被套四件套", (25, 120), (0.9, 1.3), 20,
       "cotton, organic cotton, linen, polyester, microfibre, lyocell",
       "Percale/精梳棉布; Sateen/贡缎/1.1/1.05; Waffle/华夫格; Washed/水洗; Striped/条纹",
       "home", "bed", "Breathable bedding for a cool, comfortable night.", "Machine wash at 40°C.", share=1.3),
    _t("home-textiles", "duvet", "Duvet", "被芯", (30, 200), (1.2, 2.4), 15,
       "down, recycled down, recycled polyester, polyester, wool",
       "4.5 Tog/4.5托格/0.8/0.7; 10.5 Tog/10.5托格; 13.5 Tog/13.5托格/1.2/1.25; All-Seasons/四季/1.4/1.5",
       "neutral", "bed", "Lofty and light, for a warm night's sleep.", "Wash at 40°C in a large drum twice a year."),
    _t("home-textiles", "pillow", "Pillow", "枕头", (10, 70), (0.6, 1.2), 14,
       "down, polyester, recycled polyester, wool, memory foam",
       "Soft/软; Medium/中等; Firm/硬; Side-Sleeper/侧睡", "neutral", "small-pack",
       "Supportive pillow that keeps its shape.", "Air it regularly; wash at 40°C where the label allows."),
    _t("home-textiles", "towel", "Towel", "毛巾", (5, 40), (0.45, 0.75), 20,
       "cotton, organic cotton, bamboo viscose, recycled cotton, microfibre",
       "Plush/加厚/1.2/1.2; Quick-Dry/速干; Waffle/华夫格; Turkish/土耳其", "home", "towel",
       "Soft, absorbent and quick to dry.", "Wash at 40°C; skip fabric softener to keep it absorbent.", share=1.2),
    _t("home-textiles", "curtains", "Curtains", "窗帘", (25, 130), (1.2, 2.6), 16,
       "polyester, recycled polyester, linen, cotton, velvet",
       "Blackout/遮光/1.2/1.15; Eyelet/打孔; Pencil-Pleat/铅笔褶; Thermal/保暖/1.25/1.2", "home", "curtain",
       "Lined curtains that keep heat in and light out.", "Dry clean or wash at 30°C on a gentle cycle."),
    _t("home-textiles", "throw", "Throw", "毯子", (20, 150), (0.8, 1.6), 18,
       "wool, recycled wool, acrylic, cotton, cashmere", "Knitted/针织; Herringbone/人字纹; Fringed/流苏; Chunky/粗针/1.2/1.25",
       "home", "one", "A cosy layer for the sofa so you can turn the heating down.",
       "Hand wash or dry clean.", share=1.1),
    _t("home-textiles", "rug", "Rug", "地毯", (40, 300), (2.5, 6.0), 8,
       "wool, jute, polypropylene, recycled polyester, cotton", "Flatweave/平织; Shaggy/长绒/1.2/1.3; Berber/柏柏尔; Striped/条纹",
       "home", "rug", "Adds warmth underfoot in living rooms and bedrooms.", "Vacuum weekly and spot clean spills."),
    _t("home-textiles", "cushion", "Cushion", "靠垫", (10, 45), (0.4, 0.7), 12,
       "linen, velvet, cotton, organic cotton, recycled polyester", "Piped/滚边; Embroidered/刺绣/1.2/1.1; Tufted/簇绒; Plain/纯色",
       "home", "cushion", "A feather-soft cushion with a removable cover.", "The cover washes at 30°C."),
)

FURNITURE = (
    _t("furniture", "sofa", "Sofa", "沙发", (350, 1500), (35.0, 60.0), 5.0,
       "velvet, linen, leather, recycled polyester, wool, cotton",
       "Mid-Century/中古风; Chesterfield/切斯特菲尔德/1.2/1.1; Modular/模块化/1.1/1.0; Scandi/北欧",
       "upholstery", "sofa", "Deep seats and sprung cushions for long evenings.",
       "Vacuum the cushions and treat spills promptly.", conditions=("pre-owned",), share=1.2),
    _t("furniture", "dining table", "Dining Table", "餐桌", (150, 900), (25.0, 55.0), 3.0,
       "solid oak, reclaimed wood, FSC pine, walnut, MDF, bamboo",
       "Extending/可伸缩/1.2/1.1; Farmhouse/农舍风; Round/圆形; Trestle/支架", "wood", "table",
       "Seats the whole family for dinner and homework.", "Wipe with a damp cloth and oil the top once a year.",
       conditions=("pre-owned",)),
    _t("furniture", "dining chair", "Dining Chair", "餐椅", (40, 250), (4.0, 8.0), 5.0,
       "solid oak, beech, plastic, recycled plastic, rattan, steel, bamboo",
       "Spindle-Back/梳背; Upholstered/软包/1.2/1.2; Stacking/可叠放/0.8/0.9; Cross-Back/交叉背",
       "wood", "one", "Sturdy and comfortable at the table.", _WIPE, conditions=("pre-owned",), share=1.2),
    _t("furniture", "bookcase", "Bookcase", "书架", (50, 400), (15.0, 40.0), 3.5,
       "MDF, FSC pine, solid oak, reclaimed wood, bamboo, steel",
       "Tall/高款/1.2/1.2; Low/矮款/0.7/0.7; Ladder/梯形; Cube/格子", "wood", "one",
       "Five shelves for books, plants and display.", "Fix to the wall with the fitting supplied.",
       conditions=("pre-owned",)),
    _t("furniture", "desk", "Desk", "书桌", (70, 450), (15.0, 35.0), 3.5,
       "MDF, solid oak, bamboo, steel, reclaimed wood, FSC pine",
       "Standing/升降/2.0/1.6; Writing/写字; Corner/转角/1.2/1.2; Compact/小巧/0.7/0.7", "wood", "one",
       "A steady home-office desk with room for a monitor.", _WIPE, conditions=("pre-owned",), share=1.1),
    _t("furniture", "bed frame", "Bed Frame", "床架", (150, 900), (30.0, 60.0), 3.5,
       "solid oak, FSC pine, steel, velvet, rattan, MDF",
       "Platform/平台; Storage/储物/1.3/1.3; Four-Poster/四柱/1.5/1.3; Headboard/带床头", "wood", "bed",
       "A solid frame with a sprung slatted base.", "Check and tighten the bolts after the first month."),
    _t("furniture", "wardrobe", "Wardrobe", "衣柜", (200, 1000), (40.0, 90.0), 3.0,
       "MDF, FSC pine, solid oak, reclaimed wood, walnut",
       "Double/双门; Triple/三门/1.4/1.4; Mirrored/带镜/1.2/1.1; Sliding-Door/推拉门/1.3/1.2", "wood", "one",
       "Hanging rail and shelves for a full wardrobe.", "Anchor it to the wall.", conditions=("pre-owned",)),
    _t("furniture", "coffee table", "Coffee Table", "茶几", (60, 400), (10.0, 25.0), 3.5,
       "solid oak, reclaimed wood, glass, MDF, rattan, walnut, steel",
       "Round/圆形; Nesting/套几/1.2/1.2; Storage/储物/1.2/1.2; Low/矮款", "wood", "one",
       "The centre of the living room, with space for books underneath.", _WIPE, conditions=("pre-owned",)),
    _t("furniture", "office chair", "Office Chair", "办公椅", (60, 450), (12.0, 20.0), 6.0,
       "plastic, recycled plastic, leather, steel, velvet",
       "Ergonomic/人体工学/1.5/1.2; Task/工作; Mesh-Back/网背; High-Back/高背/1.2/1.1", "neutral", "one",
       "Adjustable height and lumbar support for long working days.", _WIPE,
       conditions=("refurbished",), share=1.1),
    _t("furniture", "bedside table", "Bedside Table", "床头柜", (40, 220), (7.0, 15.0), 3.5,
       "solid oak, FSC pine, MDF, rattan, bamboo, walnut", "One-Drawer/单抽; Two-Drawer/双抽/1.2/1.2; Open-Shelf/开放式",
       "wood", "one", "A drawer and a shelf for bedtime essentials.", _WIPE),
)

PERSONAL_CARE = (
    _t("personal-care", "toothbrush", "Toothbrush", "牙刷", (2, 6), (0.018, 0.03), 5,
       "bamboo, plastic, recycled plastic, plant-based plastic", "Soft/软毛; Medium/中毛; Kids/儿童/0.9/0.8",
       "care", "small-pack", "Gentle bristles for a thorough clean.", "Replace every three months.", share=1.3),
    _t("personal-care", "electric toothbrush", "Electric Toothbrush", "电动牙刷", (20, 150), (0.15, 0.3), 25,
       "plastic, recycled plastic", "Sonic/声波/1.2/1.0; Rotating/旋转; Travel/旅行/0.8/0.8",
       "care", "one", "Two minutes of brushing with a pressure sensor.", _ELEC, material_sensitivity=0.5),
    _t("personal-care", "shampoo", "Shampoo", "洗发水", (3, 14), (0.25, 0.35), 3.5,
       "plastic bottle, recycled plastic bottle, refill pouch, plastic-free bar, aluminium bottle",
       "Volumising/丰盈; Moisturising/滋润; Anti-Dandruff/去屑; Colour-Protect/护色", "care", "bottle",
       "Cleans gently and leaves hair soft.", "Avoid contact with eyes.", share=1.3),
    _t("personal-care", "body wash", "Body Wash", "沐浴露", (2.5, 10), (0.3, 0.5), 3.0,
       "plastic bottle, recycled plastic bottle, refill pouch, plastic-free bar, glass jar",
       "Citrus/柑橘; Lavender/薰衣草; Sensitive/敏感肌; Coconut/椰香", "care", "bottle",
       "A creamy lather that does not dry skin.", "For external use only."),
    _t("personal-care", "deodorant", "Deodorant", "止汗剂", (2.5, 12), (0.08, 0.2), 6.0,
       "aluminium can, plastic, cardboard tube, recycled plastic, glass jar",
       "Spray/喷雾/0.9/1.4; Roll-On/走珠; Stick/膏体; Cream/乳霜", "care", "one",
       "Long-lasting freshness with a light scent.", "Apply to clean, dry skin."),
    _t("personal-care", "razor", "Razor", "剃须刀", (3, 40), (0.03, 0.12), 20,
       "plastic, stainless steel, recycled plastic, aluminium",
       "Disposable/一次性/0.5/1.6; Safety/安全/1.6/0.5; Cartridge/刀头式", "care", "one",
       "A close, comfortable shave.", "Rinse after use and store dry."),
    _t("personal-care", "face moisturiser", "Face Moisturiser", "面霜", (6, 40), (0.08, 0.15), 8.0,
       "plastic bottle, glass jar, refill pouch, aluminium bottle",
       "Daily/日常; Night/晚霜; SPF 30/SPF30防晒/1.1/1.0; Rich/滋养", "care", "one",
       "Light hydration that sinks in quickly.", "Patch test before first use."),
    _t("personal-care", "hairbrush", "Hairbrush", "梳子", (4, 25), (0.06, 0.15), 8.0,
       "bamboo, plastic, beech, recycled plastic", "Paddle/气垫; Detangling/顺发; Round/卷发",
       "care", "one", "Glides through wet or dry hair.", "Remove hair and rinse weekly."),
    _t("personal-care", "cotton pads", "Cotton Pads", "化妆棉", (1.5, 12), (0.04, 0.1), 12,
       "cotton, organic cotton, bamboo viscose, recycled cotton",
       "Reusable/可重复使用/2.5/0.2; Disposable/一次性/0.5/1.0; Round/圆形", "care", "one",
       "For removing make-up and toner.", "Reusable pads wash at 60°C in the bag supplied."),
)

TOYS = (
    _t("toys", "building blocks", "Building Blocks", "积木", (12, 80), (0.5, 2.0), 6.0,
       "plastic, recycled plastic, beech, plant-based plastic", "100-Piece/100块; Starter Set/入门套装/0.7/0.7; "
       "Deluxe/豪华/1.6/1.6; Castle/城堡", "bright", "one", "Open-ended play that builds fine motor skills.",
       "Wipe clean; not suitable for children under 3.", share=1.3),
    _t("toys", "teddy bear", "Teddy Bear", "泰迪熊", (8, 40), (0.2, 0.6), 12,
       "polyester, organic cotton, recycled polyester", "Classic/经典; Sleepy/睡眠; Giant/巨型/2.0/2.5; Mini/迷你/0.5/0.4",
       "neutral", "one", "Super-soft and huggable from birth.", "Surface wash only."),
    _t("toys", "doll", "Doll", "玩偶", (8, 45), (0.2, 0.6), 8.0,
       "plastic, recycled plastic, organic cotton", "Fashion/时尚; Baby/宝宝; Rag/布偶/0.9/0.8",
       "bright", "one", "Hours of imaginative play.", "Surface wash only."),
    _t("toys", "toy car", "Toy Car", "玩具车", (5, 35), (0.1, 0.6), 7.0,
       "plastic, beech, recycled plastic, zinc alloy", "Racing/赛车; Fire Engine/消防车; Pull-Back/回力; Tractor/拖拉机",
       "bright", "one", "Chunky wheels that roll on any floor.", _WIPE),
    _t("toys", "jigsaw puzzle", "Jigsaw Puzzle", "拼图", (6, 25), (0.3, 1.0), 2.5,
       "cardboard, recycled cardboard, birch plywood", "500-Piece/500片; 1000-Piece/1000片/1.3/1.5; Kids 48-Piece/儿童48片/0.7/0.5",
       "multicolour-only", "one", "A relaxing challenge for rainy afternoons.", "Keep dry."),
    _t("toys", "board game", "Board Game", "桌游", (12, 45), (0.6, 1.6), 3.0,
       "cardboard, recycled cardboard", "Family/家庭; Strategy/策略/1.3/1.1; Party/派对; Cooperative/合作",
       "multicolour-only", "one", "Game night for two to six players.", "Keep dry.", share=0.9),
    _t("toys", "play kitchen", "Play Kitchen", "儿童厨房玩具", (40, 160), (5.0, 15.0), 4.0,
       "MDF, plastic, FSC pine, recycled plastic", "Compact/小巧/0.7/0.7; Corner/转角/1.3/1.3; Retro/复古",
       "bright", "one", "Pretend cooking with clicking knobs and a working tap.", _WIPE, share=0.7),
    _t("toys", "balance bike", "Balance Bike", "平衡车", (35, 130), (3.0, 5.0), 8.0,
       "steel, aluminium, birch plywood, recycled aluminium", "12-inch/12英寸; 10-inch/10英寸/0.9/0.9; Adjustable/可调",
       "bright", "one", "Teaches balance before pedals.", "Check tyre pressure and bolts regularly.", share=0.8),
    _t("toys", "train set", "Train Set", "火车套装", (20, 120), (1.0, 3.0), 5.0,
       "beech, plastic, recycled plastic", "Starter/入门/0.7/0.7; Figure-of-Eight/8字轨; Battery-Powered/电动/1.4/1.3",
       "bright", "one", "Track pieces that click together into endless layouts.", _WIPE),
)

STATIONERY = (
    _t("stationery", "notebook", "Notebook", "笔记本", (3, 20), (0.15, 0.45), 3.0,
       "paper, recycled paper, FSC pine", "Lined Hardback/横线硬皮/1.2/1.1; Dotted/点阵; Spiral/螺旋装; Squared/方格",
       "stationery", "paper", "Smooth 90gsm pages that stop ink bleeding through.", "Keep dry.",
       share=1.5, material_zh=(("FSC pine", "FSC认证纸"),)),
    _t("stationery", "ballpoint pen", "Ballpoint Pens", "圆珠笔", (2.5, 12), (0.04, 0.08), 10,
       "plastic, recycled plastic, aluminium, bamboo, cardboard", "Retractable/按动; Fine-Tip/细头; Gel/中性/1.2/1.0",
       "stationery", "pens", "Smooth writing with quick-drying ink.", "Cap after use.", share=1.3),
    _t("stationery", "pencil", "Pencils", "铅笔", (2, 10), (0.05, 0.12), 4,
       "FSC pine, recycled paper, plastic", "HB/HB; Colouring/彩色/1.5/1.1; Sketching/素描/1.3/1.0",
       "stationery", "pens", "Break-resistant leads that sharpen cleanly.", "Sharpen with a standard sharpener."),
    _t("stationery", "school backpack", "School Backpack", "书包", (15, 70), (0.5, 0.9), 15,
       "polyester, recycled polyester, canvas, nylon, recycled nylon", "Roll-Top/卷口; Classic/经典; Laptop/电脑/1.3/1.1",
       "outdoor", "one", "Padded straps and a pocket for a water bottle.", "Sponge clean."),
    _t("stationery", "desk organiser", "Desk Organiser", "桌面收纳", (6, 35), (0.3, 1.2), 5,
       "bamboo, plastic, recycled plastic, cardboard, steel", "Drawer/抽屉式; Pen-Pot/笔筒/0.6/0.5; Tiered/分层/1.2/1.2",
       "neutral", "one", "Keeps pens, clips and notes in order.", _WIPE),
    _t("stationery", "sticky notes", "Sticky Notes", "便利贴", (2, 9), (0.1, 0.25), 3.0,
       "paper, recycled paper", "Square/方形; Lined/横线; Neon/荧光/1.1/1.05", "stationery", "small-pack",
       "Reposition them as often as you like.", "Keep away from heat."),
    _t("stationery", "printer paper", "Printer Paper", "打印纸", (4, 12), (2.3, 2.6), 1.3,
       "paper, recycled paper", "80gsm/80克; 100gsm Premium/100克高级/1.3/1.25; Bright White/亮白",
       "natural", "paper", "Jam-free paper for laser and inkjet printers.", "Store flat and dry.",
       head_order=("condition", "brand", "style", "material", "type")),
    _t("stationery", "fountain pen", "Fountain Pen", "钢笔", (8, 60), (0.02, 0.05), 30,
       "plastic, aluminium, recycled plastic, stainless steel", "Medium Nib/中尖; Fine Nib/细尖; Calligraphy/书法/1.2/1.0",
       "stationery", "one", "A refillable pen that makes handwriting a pleasure.", "Flush the nib with water between inks."),
    _t("stationery", "ring binder", "Ring Binder", "活页夹", (2, 8), (0.25, 0.45), 4,
       "polypropylene, cardboard, recycled cardboard", "A4 2-Ring/A4两孔; A4 4-Ring/A4四孔; Lever-Arch/杠杆/1.2/1.3",
       "stationery", "one", "Holds up to 250 sheets.", _WIPE),
)

GARDEN = (
    _t("garden", "compost", "Compost", "堆肥", (5, 14), (15.0, 20.0), 0.3,
       "peat-based compost, peat-free compost", "Multi-Purpose/通用; Ericaceous/杜鹃专用/1.1/1.0; Seed and Cutting/育苗/1.1/1.0",
       "natural", "compost", "Feeds pots, borders and raised beds.", "Keep the bag closed and use within six months.",
       share=1.2, head_order=("condition", "brand", "material", "style", "type")),
    _t("garden", "plant pot", "Plant Pot", "花盆", (3, 40), (0.3, 3.0), 3.0,
       "plastic, recycled plastic, terracotta, ceramic, plant fibre", "Glazed/釉面/1.2/1.2; Self-Watering/自吸水/1.3/1.1; Classic/经典; Hanging/吊挂",
       "garden", "pot-size", "Drainage holes keep roots healthy.", "Bring ceramic pots in during hard frosts.", share=1.3),
    _t("garden", "garden hose", "Garden Hose", "浇水软管", (15, 70), (1.5, 4.0), 5.0,
       "PVC, natural rubber, recycled plastic", "Expandable/伸缩/0.9/0.8; Reinforced/加固/1.2/1.1; Reel Set/卷盘套装/1.6/1.5",
       "garden", "one", "Kink-resistant hose with a spray gun.", "Drain and store out of the sun in winter."),
    _t("garden", "watering can", "Watering Can", "洒水壶", (6, 40), (0.4, 1.5), 5.0,
       "plastic, galvanised steel, recycled plastic", "Classic/经典; Indoor/室内/0.7/0.5; Long-Spout/长嘴",
       "garden", "one", "A fine rose for seedlings and a steady pour for pots.", "Empty after use."),
    _t("garden", "garden bench", "Garden Bench", "花园长椅", (80, 400), (15.0, 35.0), 3.0,
       "acacia, teak, polyrattan, steel, recycled plastic, FSC pine", "Two-Seater/双人; Three-Seater/三人/1.3/1.3; Storage/储物/1.3/1.3",
       "wood", "one", "Weatherproof seating for the patio.", "Oil wooden benches each spring.",
       material_zh=(("FSC pine", "FSC认证松木"),)),
    _t("garden", "lawn mower", "Lawn Mower", "割草机", (60, 400), (10.0, 30.0), 8.0,
       "steel, plastic, recycled plastic", "Petrol/汽油/1.3/1.5; Cordless/无绳/1.4/1.0; Corded Electric/有线电动/0.8/0.8; Manual Push/手推/0.5/0.3",
       "garden", "one", "Keeps lawns neat from spring to autumn.", "Clean the deck after each use.",
       conditions=("refurbished",), material_sensitivity=0.5),
    _t("garden", "vegetable seeds", "Vegetable Seeds", "蔬菜种子", (1.5, 4), (0.01, 0.03), 5.0,
       "paper packet, recycled paper packet, plastic packet", "Tomato/番茄; Salad Leaves/沙拉菜; Carrot/胡萝卜; Runner Bean/红花菜豆; Courgette/西葫芦",
       "natural", "small-pack", "Easy to grow on a windowsill or in a raised bed.", "Store seeds in a cool, dry place.",
       head_order=("condition", "brand", "style", "type"), share=1.1),
    _t("garden", "bird feeder", "Bird Feeder", "喂鸟器", (6, 35), (0.2, 1.0), 5.0,
       "plastic, recycled plastic, FSC pine, galvanised steel", "Hanging/悬挂; Window/窗挂/0.8/0.8; Squirrel-Proof/防松鼠/1.4/1.3",
       "garden", "one", "Brings birds to the garden all year.", "Clean every two weeks to keep birds healthy."),
    _t("garden", "gardening gloves", "Gardening Gloves", "园艺手套", (4, 25), (0.08, 0.2), 15,
       "leather, natural latex, bamboo viscose, recycled polyester, nylon", "Thorn-Proof/防刺/1.3/1.2; Lightweight/轻薄; Touchscreen/触屏",
       "garden", "apparel", "Grip and protection for pruning and weeding.", "Hand wash and dry naturally."),
    _t("garden", "garden lights", "Garden Lights", "花园灯", (10, 60), (0.4, 1.5), 12,
       "plastic, stainless steel, recycled plastic, glass", "Solar/太阳能/1.0/0.7; Mains/插电/0.9/1.3; String/串灯; Stake/插地",
       "garden", "small-pack", "Soft light for paths and borders after dark.", _WIPE, material_sensitivity=0.6),
)

SPORTS = (
    _t("sports", "yoga mat", "Yoga Mat", "瑜伽垫", (12, 80), (0.9, 2.5), 6.0,
       "PVC, TPE, natural rubber, cork, jute", "4 mm/4毫米; 6 mm/6毫米/1.1/1.3; Travel/旅行/0.8/0.5; Non-Slip/防滑",
       "sport", "one", "Grip and cushioning for yoga and pilates.", "Wipe with mild soap and water.", share=1.3),
    _t("sports", "dumbbells", "Dumbbells", "哑铃", (12, 90), (4.0, 10.0), 2.5,
       "cast iron, recycled steel, neoprene, steel", "Hex/六角; Adjustable/可调/1.6/1.2; Vinyl-Coated/包胶",
       "sport", "weights", "For home strength training.", _WIPE),
    _t("sports", "football", "Football", "足球", (8, 60), (0.4, 0.45), 8.0,
       "PVC, synthetic, natural rubber, recycled polyester", "Match/比赛/1.5/1.1; Training/训练; Size 4/4号/0.9/0.9",
       "sport", "one", "Stitched panels for true flight.", "Inflate to the pressure printed on the valve."),
    _t("sports", "bicycle", "Bicycle", "自行车", (250, 1500), (10.0, 16.0), 12.0,
       "aluminium, steel, carbon fibre, recycled aluminium", "Hybrid/混合; Road/公路/1.3/1.0; Mountain/山地/1.2/1.1; Commuter/通勤",
       "sport", "bike", "A light, reliable bike for commuting and weekend rides.",
       "Keep the chain clean and oiled; service every 6 months.", conditions=("refurbished",), share=1.2),
    _t("sports", "water bottle", "Water Bottle", "水瓶", (5, 35), (0.1, 0.4), 12.0,
       "plastic, stainless steel, aluminium, recycled plastic, glass", "Insulated/保温/1.5/1.6; Sports/运动; Filter/滤水/1.4/1.2",
       "sport", "bottle", "Reusable and leak-proof for the gym or the office.", "Hand wash; the lid is dishwasher safe.",
       share=1.3),
    _t("sports", "leggings", "Leggings", "紧身裤", (15, 75), (0.18, 0.3), 28,
       "polyester, recycled polyester, nylon, recycled nylon, organic cotton", "High-Waisted/高腰; Cropped/九分/0.95/0.9; Pocket/口袋",
       "sport", "apparel", "Squat-proof stretch for training and running.", "Wash at 30°C; no fabric softener."),
    _t("sports", "tennis racket", "Tennis Racket", "网球拍", (20, 200), (0.28, 0.34), 40,
       "graphite, aluminium, recycled aluminium", "Beginner/入门/0.6/0.8; Control/控制/1.3/1.0; Power/力量/1.2/1.0",
       "sport", "one", "Balanced for control and easy power.", "Store out of extreme heat.", share=0.8),
    _t("sports", "tent", "Tent", "帐篷", (40, 400), (2.0, 8.0), 14,
       "polyester, recycled polyester, nylon, cotton canvas", "Dome/圆顶; Tunnel/隧道; Pop-Up/速开/0.8/0.9; Backpacking/背包/1.4/0.8",
       "outdoor", "tent", "Pitches in minutes and sheds the rain.", "Dry completely before packing away."),
    _t("sports", "resistance bands", "Resistance Bands", "弹力带", (6, 30), (0.1, 0.4), 6.0,
       "natural latex, TPE, recycled polyester", "Loop Set/环形套装; Long/长款; Fabric/织物/1.2/1.1",
       "sport", "one", "Light to heavy resistance for warm-ups and physio.", "Keep out of direct sunlight."),
    _t("sports", "gym bag", "Gym Bag", "运动包", (15, 80), (0.5, 1.1), 15,
       "polyester, recycled polyester, nylon, canvas", "Duffel/桶包; Backpack/双肩/1.1/1.0; Holdall/手提",
       "outdoor", "one", "A shoe compartment keeps kit separate.", "Sponge clean and air dry."),
)

PRODUCT_TYPES: tuple[ProductType, ...] = (
    APPAREL + FOOTWEAR + ELECTRONICS + SMALL_APPLIANCES + FOOD_DRINK + HOME_TEXTILES
    + FURNITURE + PERSONAL_CARE + TOYS + STATIONERY + GARDEN + SPORTS
)
TYPES_BY_NAME: dict[str, ProductType] = {t.name: t for t in PRODUCT_TYPES}
