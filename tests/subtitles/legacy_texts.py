"""A paragraph per language, written for the encoding tests, and the code pages it is kept in.

Each paragraph is 3-5 sentences of ordinary text (about a community screening, as the
tracks screenkit sees are), so that its letters and letter pairs are what the language
really uses. `CODE_PAGES` lists, per language, the legacy code pages subtitle files in it
are actually found in. Romanian files in cp1250 / ISO 8859-2 use the cedilla forms ş ţ
(those code pages have no comma-below letters); `text_for` makes that substitution, and
a cell counts ş/ș and ţ/ț as the one letter they are (their bytes are the same).
`round_trip` encodes the paragraph as an SRT in one code page and reads it back with no
hint: the cells of the table `bench/bench_encoding.py` prints and
`test_encoding_table.py` holds to the acceptance of issue 9.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

PARAGRAPHS: dict[str, str] = {
    "it": (
        "Ieri sera siamo andati al cinema del quartiere, che è sempre pieno il venerdì. "
        "Il film era già cominciato quando abbiamo trovato due posti liberi in fondo alla "
        "sala. Più tardi abbiamo mangiato una pizza e parlato della città, dei suoi problemi "
        "e delle sue virtù. Perché non torniamo anche la settimana prossima? Così vedremo "
        "pure il documentario sulla libertà di stampa."
    ),
    "fr": (
        "Hier soir, nous sommes allés voir un documentaire dans une petite salle près de la "
        "gare. Après la projection, le réalisateur a répondu à nos questions pendant presque "
        "une heure. Il a expliqué qu'il avait tourné la plupart des scènes avec un téléphone, "
        "sans autorisation et souvent la nuit. Ça m'a beaucoup ému, et je crois que nous y "
        "retournerons l'été prochain."
    ),
    "es": (
        "El sábado pasado organizamos una proyección en el centro social del barrio. "
        "Vinieron más de cincuenta personas, aunque la lluvia no paró en toda la tarde. "
        "Después de la película hubo un debate muy animado sobre la vivienda y el precio del "
        "alquiler. ¿Quién habría pensado que un documental tan pequeño despertaría tanta "
        "pasión? Mañana empezaremos a preparar la próxima sesión."
    ),
    "pt": (
        "No último domingo, a associação de moradores exibiu o filme na praça principal da "
        "cidade. As crianças sentaram-se no chão, à frente do ecrã, enquanto os avós "
        "trouxeram cadeiras de casa. Não houve muito som, mas toda a gente percebeu a "
        "história e a situação das famílias. Depois da sessão, recolhemos doações para a "
        "cozinha comunitária e combinámos repetir a experiência em março."
    ),
    "de": (
        "Am Freitagabend zeigen wir den Film im großen Saal des Gemeindezentrums. Die Türen "
        "öffnen um neunzehn Uhr, und vor der Vorführung gibt es Suppe und Getränke für alle. "
        "Bitte bringt eure Freunde mit, denn wir möchten möglichst viele Spenden für die "
        "Küche sammeln. Wer später kommt, muss leider hinten stehen, weil die Stühle schnell "
        "weg sind. Über Hilfe beim Aufräumen freuen wir uns natürlich sehr."
    ),
    "nl": (
        "Vorige week hebben we de film voor het eerst vertoond in een café aan de haven. Er "
        "kwamen meer dan honderd geïnteresseerde mensen, en één van hen bood meteen aan om "
        "te helpen. Na afloop vertelde een vrijwilliger over het project en over de "
        "financiële situatie van het collectief. Iedereen was het erover eens dat het een "
        "geweldige avond was, ondanks de kapotte beamer."
    ),
    "pl": (
        "W zeszłą sobotę pokazaliśmy film w świetlicy na osiedlu. Przyszło więcej osób, niż "
        "się spodziewaliśmy, więc część widzów musiała siedzieć na podłodze. Po projekcji "
        "rozmawialiśmy o tym, jak wspólnie zbierać pieniądze na kuchnię społeczną. Następny "
        "pokaz odbędzie się w przyszłym miesiącu, tym razem w bibliotece miejskiej."
    ),
    "cs": (
        "Minulý týden jsme promítali film v malé kavárně na okraji města. Přišlo tolik lidí, "
        "že někteří museli stát u dveří a poslouchat zvenku. Po promítání jsme dlouho "
        "diskutovali o tom, jak podpořit místní kuchyni pro lidi bez domova. Příště si "
        "určitě půjčíme větší plátno a lepší reproduktory."
    ),
    "hu": (
        "A múlt héten a kerületi könyvtárban vetítettük le a filmet. Több mint ötven ember "
        "jött el, pedig egész nap esett az eső. A vetítés után hosszan beszélgettünk arról, "
        "hogyan lehetne segíteni a szomszédságban élő családoknak. Jövő hónapban újra "
        "összegyűlünk, és ezúttal forró teát is főzünk mindenkinek."
    ),
    "ro": (
        "Sâmbătă seara am proiectat filmul în sala mare a căminului cultural din sat. Au "
        "venit oameni de toate vârstele, iar copiii s-au așezat în primul rând, chiar lângă "
        "ecran. După film, am strâns bani pentru cantina socială și am discutat despre "
        "problemele locuinței. Ne-am bucurat că atâția vecini au rămas până la sfârșit."
    ),
    "uk": (
        "Минулої суботи ми показали фільм у бібліотеці на околиці міста. Прийшло стільки "
        "людей, що довелося приносити стільці з сусідньої школи. Після перегляду ми довго "
        "говорили про те, як допомогти родинам, які втратили житло. Гроші, зібрані того "
        "вечора, підуть на ґанок і дах для громадської кухні. Наступний показ відбудеться в "
        "середу, і ми чекаємо на всіх, хто хоче долучитися."
    ),
    "ru": (
        "В прошлую пятницу мы показали фильм в подвале старого дома культуры. Пришло больше "
        "сорока человек, и многим пришлось сидеть прямо на полу. После показа режиссёр "
        "рассказал, как снимал сцены на телефон, часто ночью и без разрешения. Мы собрали "
        "деньги для бесплатной столовой и договорились встретиться снова через месяц."
    ),
    "bg": (
        "Миналата неделя прожектирахме филма в читалището на нашия квартал. Дойдоха много "
        "хора, а децата седнаха на пода пред екрана. След прожекцията разговаряхме дълго за "
        "това как да помогнем на семействата, които останаха без дом. Събрахме пари за "
        "обществената кухня и решихме да повторим вечерта през есента."
    ),
    "el": (
        "Την περασμένη Παρασκευή προβάλαμε την ταινία στην αυλή ενός παλιού σχολείου. Ήρθαν "
        "πολλοί γείτονες, ακόμα και οικογένειες με μικρά παιδιά. Άλλοι έφεραν φαγητό για "
        "όλους. Μετά την προβολή συζητήσαμε για το πώς μπορούμε να στηρίξουμε την κοινωνική "
        "κουζίνα της γειτονιάς."
    ),
    "tr": (
        "Geçen cumartesi filmi mahallenin kültür merkezinde gösterdik. Salon o kadar doluydu "
        "ki bazı insanlar kapının önünde ayakta izlemek zorunda kaldı. Gösterimden sonra, "
        "evini kaybeden aileler için neler yapabileceğimizi uzun uzun konuştuk. Topladığımız "
        "bağışlar ortak mutfağın ihtiyaçlarına harcanacak. İlk kış buluşması şubatta olacak."
    ),
}

_WESTERN = ("cp1252", "iso8859-1", "iso8859-15")
_CENTRAL = ("cp1250", "iso8859-2")
CODE_PAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("it", "fr", "es", "pt", "de", "nl"), _WESTERN),
    **dict.fromkeys(("pl", "cs", "hu"), _CENTRAL),
    "ro": ("cp1250", "iso8859-2", "iso8859-16"),
    "uk": ("cp1251", "koi8-u"),
    "ru": ("cp1251", "koi8-r", "iso8859-5", "cp866"),
    "bg": ("cp1251", "iso8859-5"),
    "el": ("cp1253", "iso8859-7"),
    "tr": ("cp1254", "iso8859-9"),
}
_CEDILLA = str.maketrans("șțȘȚ", "şţŞŢ")
# The bytes of ș ț in ISO 8859-16 are those of ş ţ in cp1250: the same Romanian letters,
# which no reader can tell apart; a cell compares them as one.
_FOLD = str.maketrans("şţŞŢ", "șțȘȚ")


def text_for(lang: str, codec: str) -> str:
    """The paragraph as a file in ``codec`` holds it (Romanian's cedilla forms where needed)."""
    text = PARAGRAPHS[lang]
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        text = text.translate(_CEDILLA)
        text.encode(codec)  # anything else unencodable is a mistake in this table
    return text


def as_srt(text: str) -> str:
    """One event a sentence, two seconds each, as a subtitler's file would hold them."""
    sentences = [s.strip() for s in text.replace("? ", "?|").replace(". ", ".|").split("|")]
    blocks = []
    for n, sentence in enumerate(sentences, 1):
        start, end = 2 * n, 2 * n + 2
        blocks.append(f"{n}\n00:00:{start:02d},000 --> 00:00:{end:02d},500\n{sentence}\n")
    return "\n".join(blocks)


@dataclass(frozen=True)
class Cell:
    lang: str
    codec: str
    read_as: str
    right: bool
    flagged: bool
    """The reader said another code page stays plausible (and named it)."""
    also: tuple[str, ...]


def round_trip(lang: str, codec: str) -> Cell:
    from screenkit.subtitles.encoding import decode_bytes

    srt = as_srt(text_for(lang, codec))
    found = decode_bytes(srt.encode(codec))
    also = tuple(f"{codec} ({lang})" for codec, lang in getattr(found, "alternatives", ()))
    return Cell(
        lang=lang,
        codec=codecs.lookup(codec).name,
        read_as=found.codec,
        right=found.text.translate(_FOLD) == srt.translate(_FOLD),
        flagged=bool(also),
        also=also,
    )


def table() -> list[Cell]:
    return [round_trip(lang, codec) for lang, pages in CODE_PAGES.items() for codec in pages]
