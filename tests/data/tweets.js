window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "id_str" : "1600000000000000001",
      "full_text" : "Fine-tuning is for behaviour, not knowledge &amp; facts.\nUse retrieval for that.",
      "created_at" : "Tue Dec 06 10:00:00 +0000 2022",
      "lang" : "en",
      "entities" : { "urls" : [ ] }
    }
  },
  {
    "tweet" : {
      "id_str" : "1600000000000000002",
      "full_text" : "@ann agreed, see https://t.co/abc",
      "created_at" : "Tue Dec 06 10:05:00 +0000 2022",
      "in_reply_to_status_id_str" : "1599999999999999999",
      "in_reply_to_screen_name" : "ann",
      "entities" : { "urls" : [ { "url" : "https://t.co/abc", "expanded_url" : "https://example.com/post" } ] }
    }
  }
]
