"""Made-up people for the city-size data: they look real on every page and are plainly synthetic.

Names come from a short list of family names and given-name syllables; mobile numbers are in the 170
range (the demo's are 139 and 137), family contacts in 171. Resident numbers, tickets, booking
references and poster codes are drawn from the seeded random generator, skipping any already in use,
so two runs on the same database give the same data.
"""

import random
from bisect import bisect
from itertools import accumulate

# (family name, pinyin): the pinyin goes into staff accounts' display names, as in the demo.
FAMILY_NAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("沈", "Shen"),
    ("钱", "Qian"),
    ("陆", "Lu"),
    ("姚", "Yao"),
    ("顾", "Gu"),
]
GIVEN_SYLLABLES = "秀英桂兰建国玉明芳伟静华丽强军敏红平海燕德凤志淑美文荣金宝林春梅"
RELATIONS = [("女儿", "daughter"), ("儿子", "son"), ("老伴", "spouse"), ("侄女", "niece"), ("邻居", "neighbour")]


def person_name(rng: random.Random) -> str:
    family = rng.choice(FAMILY_NAMES)[0]
    given = rng.choice(GIVEN_SYLLABLES)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_SYLLABLES)
    return family + given


def staff_name(rng: random.Random, role_zh: str, role_en: str) -> str:
    family, pinyin = rng.choice(FAMILY_NAMES)
    return f"{family}{role_zh} {pinyin} ({role_en})"


def mobile(index: int, prefix: str = "170") -> str:
    """A distinct 11-digit mobile for each index below 10**8 (7919 is coprime with 10**8)."""
    return f"{prefix}{(index * 7919 + 4_213_579) % 10**8:08d}"


def family_contact(rng: random.Random, index: int) -> str:
    zh, en = rng.choice(RELATIONS)
    return f"{zh} / {en} {mobile(index, '171')}"


class UniqueDraws:
    """Codes drawn from an alphabet with the seeded generator, never one that is taken. Each random
    byte picks a letter through a 256-entry table (a slight lean towards the first few letters, which
    made-up data can live with)."""

    def __init__(self, rng: random.Random, alphabet: str, length: int, taken=()):
        self.rng, self.length = rng, length
        self.table = bytes(ord(alphabet[i % len(alphabet)]) for i in range(256))
        self.taken = set(taken)

    def draw(self) -> str:
        while True:
            code = self.rng.randbytes(self.length).translate(self.table).decode("ascii")
            if code not in self.taken:
                self.taken.add(code)
                return code


class ResidentNumbers:
    """Eight digits like services/residents.new_resident_number, from a fixed permutation of
    10,000,000-99,999,999 (48271 is coprime with 90,000,000), skipping numbers already in use."""

    def __init__(self, taken=()):
        self.taken = set(taken)
        self.index = 0

    def draw(self) -> str:
        while True:
            self.index += 1
            number = str(10_000_000 + (self.index * 48_271 + 31_337) % 90_000_000)
            if number not in self.taken:
                self.taken.add(number)
                return number


class Weighted:
    """One of `pairs` (item, weight) at random; random.choices recounts the weights on every call."""

    def __init__(self, pairs):
        self.items = [item for item, _weight in pairs]
        self.cumulative = list(accumulate(weight for _item, weight in pairs))

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]
