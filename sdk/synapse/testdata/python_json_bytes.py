# Regenerates python_json_bytes.json from ../../../testdata/golden/sdk_synapse.json (run from the repo root:
# python3 sdk/synapse/testdata/python_json_bytes.py). Only Python's json module is used.
import json

g = json.load(open('testdata/golden/sdk_synapse.json'))
out = {}
out['dendrite_request_body_dumps'] = json.dumps(g['dendrite_request']['case']['json_body'])
out['axon_side_from_headers_dumps'] = json.dumps(g['axon_side_from_headers']['parsed_model_dump'])
out['axon_success_body_compact'] = json.dumps(g['axon_success_response']['response_json_body'], ensure_ascii=False, separators=(",", ":"))
tv = g['body_hash']['python_str_rendering']['json_body_values']
out['types_values_dumps'] = json.dumps(tv)
out['types_values_compact'] = json.dumps(tv, ensure_ascii=False, separators=(",", ":"))
out['_about'] = ("Exact bytes Python's json module writes for vectors of testdata/golden/sdk_synapse.json: json.dumps(x) "
                 "(aiohttp json=, what a Python dendrite sends) and json.dumps(x, ensure_ascii=False, separators=(',', ':')) "
                 "(Starlette JSONResponse, what a Python axon answers). Generated with CPython 3 json from the golden file; "
                 "regenerate with the script in python_json_bytes.py.")
json.dump(out, open('sdk/synapse/testdata/python_json_bytes.json', 'w'), indent=1, ensure_ascii=False)
