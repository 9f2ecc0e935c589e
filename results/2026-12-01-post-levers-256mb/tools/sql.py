import json, sys, subprocess, collections
out = subprocess.run(['zstd','-dc',sys.argv[1]],capture_output=True,text=True).stdout if sys.argv[1].endswith('zstd') else open(sys.argv[1]).read()
cpu = collections.defaultdict(float); ex = {}; jobs = collections.defaultdict(list); st = {}; task = collections.defaultdict(float); stage_job={}
for line in out.splitlines():
    e = json.loads(line); ev = e['Event']
    if ev.endswith('SQLExecutionStart'):
        ex[e['executionId']] = [e['time'], None, e['description'][:60], e.get('physicalPlanDescription','').split('\n')[1][:90]]
    elif ev.endswith('SQLExecutionEnd'):
        ex[e['executionId']][1] = e['time']
    elif ev == 'SparkListenerJobStart':
        x = e.get('Properties', {}).get('spark.sql.execution.id')
        if x is not None:
            for s in e['Stage IDs']: stage_job[s] = int(x)
    elif ev == 'SparkListenerTaskEnd' and e.get('Task Metrics'):
        task[stage_job.get(e['Stage ID'])] += e['Task Metrics']['Executor Run Time']/1000; cpu[stage_job.get(e['Stage ID'])] += e['Task Metrics']['Executor CPU Time']/1e9
for k,(a,b,d,p) in sorted(ex.items()):
    if b is None: b=a
    if (b-a) > 300 or task[k] > 0.5:
        print(f"exec {k:3d} {(b-a)/1000:7.1f}s wall {task[k]:7.1f}s task {cpu[k]:6.1f}s cpu  {d} | {p}")
print('total cpu', round(sum(cpu.values()),1), 'task', round(sum(task.values()),1))
