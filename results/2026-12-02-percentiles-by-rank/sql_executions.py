import json,sys,collections
f=sys.argv[1]
stage_exec={}; execs={}; stage_ts={}; job_exec={}
for line in open(f):
    e=json.loads(line); ev=e['Event']
    if ev=='SparkListenerJobStart':
        p=e.get('Properties',{}); x=p.get('spark.sql.execution.id')
        for s in e.get('Stage IDs',[]): stage_exec[s]=x
    elif ev.endswith('SQLExecutionStart'):
        execs[str(e['executionId'])]={'desc':e.get('description','')[:60],'start':e['time'],'plan':e.get('physicalPlanDescription','')}
    elif ev.endswith('SQLExecutionEnd'):
        execs[str(e['executionId'])]['end']=e['time']
    elif ev=='SparkListenerStageCompleted':
        i=e['Stage Info']; acc={a['Name']:a.get('Value') for a in i.get('Accumulables',[])}
        stage_ts[i['Stage ID']]=int(acc.get('internal.metrics.executorRunTime',0))/1000
    elif ev=='SparkListenerApplicationStart': t0=e['Timestamp']
tasks=collections.defaultdict(float)
for s,x in stage_exec.items(): tasks[x]+=stage_ts.get(s,0)
for x,v in sorted(execs.items(), key=lambda kv:int(kv[0])):
    if 'end' not in v: continue
    w=(v['end']-v['start'])/1000
    if w<0.5 and tasks[x]<0.5: continue
    # guess what: the last line of the plan with a table/aggregate hint
    first=[l for l in v['plan'].split('\n') if l.strip()][:3]
    print(f"exec {x} +{(v['start']-t0)/1000:.1f} wall {w:.1f} task-s {tasks[x]:.1f} {v['desc']} | {' / '.join(s.strip()[:70] for s in first[1:3])}")
