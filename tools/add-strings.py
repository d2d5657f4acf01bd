"""Adds or replaces strings in SharedResource.resx (English) and SharedResource.ja.resx. Usage: tools/add-strings.py entries.tsv (lines: key<TAB>English<TAB>Japanese)"""
import sys, re, html, os
base = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Omo.Clienteling', 'Resources') + os.sep
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
for fname, col in (('SharedResource.resx', 1), ('SharedResource.ja.resx', 2)):
    path = base + fname
    s = open(path, encoding='utf-8').read()
    for r in rows:
        key, val = r[0], r[col]
        entry = f'  <data name="{key}" xml:space="preserve"><value>{html.escape(val, quote=False)}</value></data>\n'
        pat = re.compile(r'  <data name="' + re.escape(key) + r'"[^\n]*</data>\n')
        if pat.search(s): s = pat.sub(lambda m: entry, s)
        else: s = s.replace('</root>', entry + '</root>')
    open(path, 'w', encoding='utf-8').write(s)
print(len(rows), 'strings')
