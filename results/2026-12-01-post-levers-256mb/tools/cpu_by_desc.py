import json, sys, collections, subprocess
p = sys.argv[1]
lines = subprocess.run(['zstd','-dc',p],capture_output=True,text=True).stdout.splitlines() if p.endswith('zstd') else open(p)
cpu = collections.defaultdict(float); stage_desc = {}
for line in lines:
    e = json.loads(line); ev = e['Event']
    if ev == 'SparkListenerJobStart':
        dd = e.get('Properties', {}).get('spark.job.description')
        for s in e['Stage IDs']: stage_desc[s] = dd
    elif ev == 'SparkListenerTaskEnd' and e.get('Task Metrics'):
        cpu[(stage_desc.get(e['Stage ID']), e['Stage ID'])] += e['Task Metrics']['Executor CPU Time']/1e9
tot = collections.defaultdict(float)
for (dd, s), c in sorted(cpu.items(), key=lambda x: x[0][1]):
    tot[dd] += c; print(dd, s, round(c, 1))
print(dict((k, round(v, 1)) for k, v in tot.items()))
