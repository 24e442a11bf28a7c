"""Moving in and out: comments imported from WordPress (WXR) and Disqus exports,
and exported as WXR (README, "Moving in and out").

The readers (wxr.py, disqus.py) stream a file and turn it into Entry records;
matching.py finds each thread's article; writer.py stores the entries in batches
as an intake channel (first status from the export, a Decision each);
workflow.py runs one file in one transaction; export.py writes WXR.
"""
