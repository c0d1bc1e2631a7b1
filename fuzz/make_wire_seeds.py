#!/usr/bin/env python3
# Writes the seed corpora of the envelope and message_bodies fuzz targets:
# one body of every message type (wire_format.md) in cereal's portable
# binary layout, as a frame (corpus/envelope/) and as the message_bodies
# target's input (corpus/message_bodies/: type - 1, version - 1, body).
import os, struct, zlib
here = os.path.dirname(os.path.abspath(__file__))
def u8(v): return struct.pack('<B', v)
def b(v): return struct.pack('<B', 1 if v else 0)
def u32(v): return struct.pack('<I', v)
def i32(v): return struct.pack('<i', v)
def i64(v): return struct.pack('<q', v)
def u64(v): return struct.pack('<Q', v)
def u16(v): return struct.pack('<H', v)
def s(t): t=t.encode(); return u64(len(t))+t
def vec(items): return u64(len(items))+b''.join(items)
def mp(pairs): return u64(len(pairs))+b''.join(k+v for k,v in pairs)
START=b'\x01'  # cereal portable binary: the archive's endianness byte
bodies = {
 'worker_hello': (1,1,START+u8(1)+s('scoring-1')+u32(4242)+u32(4)),
 'heartbeat': (2,1,START+u8(3)+u32(1)+u32(4)+s('notify-1')+u32(4243)),
 'scoring_task_v2': (3,2,START+u64(7)+s('competency50')+s('E1')+s('2021-03-01')+s('2026-09-30')
     +mp([(s('language'),i32(4)),(s('negotiation'),i32(5))])+mp([(s('product_knowledge'),i32(8700))])
     +i64(123456789)+i64(20)+i64(5)
     +mp([(s('peer:E2'),mp([(s('language'),i32(3))]))])
     +mp([(s('product_knowledge'),vec([i32(9000)+i32(5000), i32(8000)+i32(5000)]))])
     +mp([(s('language'),i32(3))])),
 'scoring_task_v1': (3,1,START+u64(8)+s('competency50')+s('E2')+s('2024-02-29')+s('2026-09-30')
     +mp([(s('language'),i32(2))])+mp([])+i64(0)+i64(0)+i64(0)),
 'scoring_result': (4,3,START+u64(7)+b(True)+s('')+vec([s('language')+i32(400), s('negotiation')+i32(500)])
     +i32(3935)+i32(2)+vec([s('self review missing')])+s('{"gaps":{"language":0.5}}')+b(False)),
 'scoring_result_v2': (4,2,START+u64(7)+b(True)+s('')+vec([s('language')+i32(400)])
     +i32(400)+i32(0)+vec([])+s('{}')),
 'scoring_result_v3_retryable': (4,3,START+u64(9)+b(False)+s('rubric file is being replaced')+vec([])+i32(0)+i32(0)+vec([])
     +s('')+b(True)),
 'scoring_result_v1_error': (4,1,START+u64(9)+b(False)+s('program x has no rubric here')+vec([])+i32(0)+i32(0)+vec([])),
 'notify_task': (5,1,START+s('n-1')+s('E1')+u64(7)+s('case_final')+s('{"case":7,"tier":2}')),
 'notify_result': (6,2,START+s('n-1')+b(True)+b(False)+s('')+b(False)),
 'notify_result_v1': (6,1,START+s('n-2')+b(False)+b(False)+s('disk full')),
 'targets_task': (7,1,START+u64(11)+s('E1')+s('2026-07')
     +vec([s('yanghe')+i64(5000000)+i64(6100000)+i32(12200), s('shuanggou')+i64(0)+i64(10)+i32(0)])
     +vec([b(True),b(False),b(True)])+i32(3)+i32(2)+i32(4)+i32(1)),
 'targets_result': (8,2,START+u64(11)+b(True)+s('')+b(True)+i64(123400)+s('{"met":true}')+b(False)),
 'targets_result_v1': (8,1,START+u64(12)+b(False)+s('no plan')+b(False)+i64(0)+s('')),
}
def frame(t,v,i,c,body):
    h=b'AFW1'+u16(t)+u16(v)+u64(i)+u64(c)+u32(len(body))
    return h+u32(zlib.crc32(h+body) & 0xffffffff)+body
for name,(t,v,body) in bodies.items():
    open(f'{here}/corpus/message_bodies/{name}','wb').write(bytes([t-1, v-1])+body)
    open(f'{here}/corpus/envelope/{name}','wb').write(frame(t,v,100+t,t if t%2==0 else 0,body))
open(f'{here}/corpus/envelope/bad_crc','wb').write(frame(1,1,1,0,b'\x01\x01')[:-1]+b'\x00')
open(f'{here}/corpus/envelope/short','wb').write(b'AFW1\x01\x00')
