"""A corpus of hostile text: what an attacker (or a careless copy and paste) puts in a record.

Every entry is a (name, text) pair; the text is valid record text (no control characters,
within a title's 300 characters) so that it is published and must then be shown safely.
`TEMPLATE_MARKS` are the results an evaluated template would print: none may ever appear.
"""

from __future__ import annotations

XSS = [
    ("script tag", "<script>alert('xss-1')</script>"),
    ("script tag, odd case", "<ScRiPt src=//evil.example/x.js></sCrIpT>"),
    ("img onerror", "<img src=x onerror=\"alert('xss-2')\">"),
    ("svg onload", "<svg/onload=alert('xss-3')>"),
    ("svg script", "<svg><script>alert('xss-4')</script></svg>"),
    ("attribute breaker, double", "\"><script>alert('xss-5')</script>"),
    ("attribute breaker, single", "' onmouseover='alert(6)' x='"),
    ("attribute breaker, unquoted", "x onfocus=alert(7) autofocus"),
    ("javascript link", '<a href="javascript:alert(8)">click</a>'),
    ("javascript scheme alone", "javascript:alert(9)//"),
    ("data link", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=">x</a>'),
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("object", '<object data="https://evil.example/x.swf"></object>'),
    ("style breaker", "</style><style>body{display:none}</style>"),
    ("textarea breaker", "</textarea><script>alert(11)</script>"),
    ("title breaker", "</title><script>alert(12)</script>"),
    ("comment breaker", "--><script>alert(13)</script><!--"),
    ("cdata breaker", "]]><script>alert(14)</script><![CDATA["),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    ("base tag", '<base href="https://evil.example/">'),
    ("entity smuggling", "&lt;script&gt;alert(15)&lt;/script&gt; &amp;amp; &#x3C;b&#x3E;"),
    ("xml entity", '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;'),
]
TEMPLATE = [
    ("jinja expression", "{{7*7}} {{ 1234*5678 }}"),
    ("jinja statement", "{% print(7*7) %}{% for x in range(3) %}loop{% endfor %}"),
    ("jinja config", "{{ config }}{{ config.SECRET_KEY }}{{ ''.__class__.__mro__ }}"),
    ("other engines", "${7*7} #{7*7} <%= 7*7 %> ${{7*7}} [[7*7]]"),
    ("format string", "%s %d %(x)s {0} {x.__class__}"),
]
TEMPLATE_MARKS = ("7006652", "looploop", "<class ", "SECRET_KEY': ")
SQL = [
    ("drop table", "'; DROP TABLE incident; --"),
    ("or true", "' OR '1'='1' --"),
    ("union", '" UNION SELECT secret_hash, 1 FROM token --'),
    ("comment and quote", "镉'); DELETE FROM revision WHERE ('1'='1"),
]
PATHS = [
    ("dot dot", "../../../../etc/passwd"),
    ("encoded dot dot", "%2e%2e%2f%2e%2e%2fetc%2fpasswd ..%5c..%5cwindows"),
    ("file url", "file:///etc/passwd"),
]
UNICODE = [
    ("rtl override", "罚款\u202e0001 TNEDICNI\u202c 元"),
    ("zero width", "镉\u200b超\u200c标\u200d\ufeff龙江"),
    ("combining marks", "Z\u0351\u0308\u0301a\u0300\u0301\u0302l\u0303\u0304g\u0306\u0307o"),
    ("astral plane", "𠀀𠀁 𝔠𝔞𝔡𝔪𝔦𝔲𝔪 🐟☠️ 𝟘𝟙"),
    ("bidi isolates", "\u2066abc\u2069 \u2067عربى\u2069 עברית"),
    ("homoglyphs", "Сadmium (Cyrillic С) ｃａｄｍｉｕｍ (full width)"),
]
FORMULAS = [
    ("formula equals", '=HYPERLINK("https://evil.example","click")'),
    ("formula plus", "+cmd|' /C calc'!A0"),
    ("formula minus", "-2+3+cmd|' /C calc'!A0"),
    ("formula at", "@SUM(1+1)*cmd|' /C calc'!A0"),
]
CORPUS = XSS + TEMPLATE + SQL + PATHS + UNICODE + FORMULAS
# Starts a spreadsheet runs as a formula. (Tab and CR cannot start a record's text: it is
# stripped of leading whitespace; the export's own test covers those cells.)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Ids with traversal and odd characters: each must be a 404, never a file or a 500.
ODD_IDS = [
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252f..%252fetc%252fpasswd",
    "....//....//etc/passwd",
    "..\\..\\windows\\win.ini",
    "INC-2012-0001%00.html",
    "INC-2012-0001\x00",
    "%00",
    "INC-" + "9" * 5000,
    "<script>alert(1)</script>",
    "{{7*7}}",
    "'; DROP TABLE incident; --",
    "inc-2012-0001'--",
    "%E2%80%AE",
    "\u202eINC",
    "𠀀",
]
# Over Body's 20,000 characters: refused with a sentence, never stored cut.
HUGE = "镉" * 34_000  # 102 KB in UTF-8
LONG_ASTRAL = "𝔠" * 20_000  # at the cap: 80 KB of four-byte characters, kept whole
