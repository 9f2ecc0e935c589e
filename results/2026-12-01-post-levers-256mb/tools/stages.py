import json, sys, subprocess, collections
out = subprocess.run(['zstd','-dc',sys.argv[1]],capture_output=True,text=True).stdout
stage_exec = {}; cpu = collections.defaultdict(float); rt = collections.defaultdict(float); rows = {}; names = {}
recs = collections.defaultdict(lambda: [0,0,0,0])
for line in out.splitlines():
    e = json.loads(line); ev = e['Event']
    if ev == 'SparkListenerJobStart':
        x = e.get('Properties', {}).get('spark.sql.execution.id')
        for s in e['Stage IDs']: stage_exec[s] = x
    elif ev == 'SparkListenerTaskEnd' and e.get('Task Metrics'):
        m = e['Task Metrics']; s = e['Stage ID']
        cpu[s] += m['Executor CPU Time']/1e9; rt[s] += m['Executor Run Time']/1000
        r = recs[s]; r[0] += m['Input Metrics']['Records Read']; r[1] += m['Shuffle Read Metrics']['Total Records Read']; r[2] += m['Shuffle Write Metrics']['Shuffle Records Written']; r[3] += m['Output Metrics']['Records Written']
    elif ev == 'SparkListenerStageCompleted':
        names[e['Stage Info']['Stage ID']] = e['Stage Info']['Number of Tasks']
for s in sorted(cpu):
    if cpu[s] > 0.5:
        r = recs[s]
        print(f"exec {stage_exec.get(s)} stage {s:4d} tasks {names.get(s)} cpu {cpu[s]:6.1f}s run {rt[s]:6.1f}s in {r[0]:>9} shufR {r[1]:>9} shufW {r[2]:>9} out {r[3]:>8}")
