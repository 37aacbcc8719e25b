"""What counts for and against each rubric dimension: concepts, their weight and the phrases that show them."""

from __future__ import annotations

import re

from voicecoach.brain.concept import I_WILL, I_WOULD, Concept
from voicecoach.brain.concept import concept as _c
from voicecoach.brain.lexicon_decisions import DECISION_CONCEPTS

CONCEPTS: tuple[Concept, ...] = (
    # --- clarify: understand the problem and its constraints before solving --------------------------
    _c("clarify", "asked what exactly is affected", 1.5,
       r"(?:android|ios|web|desktop|mobile) only|only (?:on )?(?:android|ios|the web|desktop|mobile)|"
       r"(?:is|was|are|were) (?:it|this|that|the drop|the decline|the change|the problem|the issue) "
       r"(?:on|across|in|for|limited to|specific to|only|concentrated|happening|global|everywhere|all)"
       r"|(?:drop|decline|dip|problem|issue|it|this|change) (?:is|was|are|were) (?:only |just )?(?:on|across|in|limited|specific|"
       r"concentrated|global|everywhere|happening|isolated)"
       r"|(?:which|what) (?:platforms?|users?|regions?|countries|segments?|devices?)|do we know (?:if|whether|when|what|which|how)"),
    _c("clarify", "checked when it started", 1.0,
       r"slow decline|over (?:the )?(?:past |last )?(?:two|three|several|\d+) (?:months|weeks)|"
       r"when (?:did|does|it|this|that|the \w+) (?:it |this |that |the \w+ )?(?:start\w*|begin\w*|began|happen\w*)|(?:sudden|gradual|overnight)"
       r"|(?:what|which) (?:time ?frame|period)|over what period|one off|step change"),
    _c("clarify", "checked the drop is real, not a tracking change", 2.0,
       r"(?:is|was) (?:the|this|that|it) (?:\w+ )?(?:even |actually |really )?(?:real|genuine)|(?:event|events|tracking|logging) (?:\w+ ){0,3}(?:renamed|lost|broken|changed|missing)|"
       r"(?:real|genuine) (?:drop|decline|change|problem)|(?:tracking|logging|instrumentation|reporting|measurement|"
       r"analytics) (?:bug|issue|change|problem|error|glitch)|data (?:pipeline|quality) (?:issue|problem|bug)"
       r"|(?:is|was) the (?:data|metric|dashboard) (?:right|correct|accurate|broken)|sanity check"
       r"|(?:drop|decline|dip|change|it|this|that) (?:is|was|'s) (?:actually |even )?(?:real|genuine)|whether it's real"),
    _c("clarify", "wanted to understand before solving", 1.5,
       r"(?:my )?first question (?:is|would be)|"
       r"(?:first|start by|to start)(?: thing)?,? (?:what|why|who|how|is|are|do|does|did)\b|(?:start|begin) (?:with|by asking) (?:what|why|who|whether)|before (?:i|we) (?:touch|change|decide|pick|choose)|(?:first|start by) (?:i'd |we'd )?find\w* out|"
       r"(?:ask\w*|see|get|look\w* at|pull|need|want|know) (?:for )?(?:the )?(?:actual|real|raw) numbers|"
       + I_WOULD + r" (?:first |start by |probably |just )*(?:want to |like to |need to )?"
       # "ask" only where no scoping question follows: "I'd ask infrastructure what ..." is one question, read below
       r"(?:understand|clarify|confirm|ask(?! (?:\w+ ){0,2}(?:which|what|where|how|why|whether|who)\b)|check what|"
       r"check whether|check if|make sure i understand|scope)"
       r"|before (?:i|we) (?:jump|dive|propose|go|get|start|suggest)|clarifying questions?|(?:first|before anything) .{0,20}understand"
       r"|(?:first|start by) (?:\w+ ){0,2}(?:check\w*|confirm\w*|verify\w*|validat\w*|understand\w*|look\w* at|ask\w*)"
       r"|before (?:anything|doing anything|i do anything|touching)|(?:want|need|like) to know|"
       r"(?:step one|first step|to start)(?: is)?,? (?:i'd |we )?(?:confirm|check|verify|make sure)"),
    _c("clarify", "asked a specific scoping question", 1.5,
       r"what exactly|which exactly|(?:ask|asking) (?:\w+ ){0,4}(?:which|what|where|how)\b|"
       r"(?:look\w* at|understand\w*|find\w* out|know|ask\w*) why|"
       r"where (?:it's|it is|this is|they're|the drop is) coming from|who(?:'s| is) (?:dropping|churning|leaving|affected)|"
       r"what (?:\w+ ){0,2}(?:actually|really) needs?|why (?:is )?(?:the|this) (?:date|deadline)|where (?:\w+ ){0,2}(?:can|could) (?:we |it )?launch|what (?:the )?(?:rules|regulations?|laws?) (?:say|allow)|who holds the money|"
       r"for whom|who(?:'s| is) affected|how (?:bad|big|widespread|slow|much (?:slower|worse|bigger))|"
       r"(?:is it|is this|is that) (?:everyone|all \w+|everybody) or (?:only|just)|why (?:we're|we are) (?:building|doing)|"
       r"(?:ask|asking) (?:why|whether|who|what the)|who the (?:target )?(?:users|customers) are|why (?:japan|now|this market)|"
       r"whether (?:the|it|this) (?:\w+ )?(?:date|deadline|deal) (?:can|is|really)|(?:is|was) (?:it|this) (?:really )?contingent", max_hits=2),
    _c("clarify", "said why the question matters", 1.0,
       r"(?:only )?makes sense if|only works if|depends on (?:whether|what|how)|"
       r"because (?:that|it|this) (?:decides|shapes|changes|determines|drives|tells)|that's the tie ?breaker"),
    _c("clarify", "stated assumptions", 1.0, r"if (?:it's|the goal is|that's) (?:\w+ ){1,8}then|"
       r"(?:i'll|i will|i'm going to|let me|i'd|i) assume|assuming (?:that|it|we|this)|my assumption"),
    _c("clarify", "framed hypotheses before solving", 1.5,
       r"what (?:\w+ ){0,3}(?:does|did) differently|which (?:change|one) is (?:responsible|to blame|the cause)|"
       r"if (?:most|many|a lot) of (?:them|the \w+)|the core (?:of|value|job|problem)|core (?:value|feature|job)|"
       r"what (?:exactly |actually )changed|(?:look|looks|sounds) like (?:a |an )?(?:bug|release|something about)|competition|competitors?|"
       r"hypothes[ie]s|root cause|bottleneck|(?:internal|external) (?:factors?|causes?|reasons?|change)"
       r"|(?:discovery|activation|retention) or (?:activation|retention|discovery)|what changed|(?:two|three|a few) "
       r"(?:possible causes|candidates|explanations|(?:things|changes) (?:that )?(?:could|might|changed|went))|"
       r"changed (?:two|three|several|a few) things|(?:two|separate|different) problems (?:\w+ ){0,2}(?:sound|look)s? like one|"
       r"(?:they're|they are|these are) separate (?:problems|markets|issues)|treat them separately|treat (?:this|it|them) as (?:two )?separate (?:problems|markets|issues)|(?:rather than|not) a (?:bug|sudden drop)|"
       r"(?:i'd|i would) (?:think|suspect|guess)|my (?:guess|hypothesis|bet)|points? (?:at|to) (?:something|a|the)|"
       r"rule (?:it |that |this )?out|ruling out|makes me think|(?:is|are) almost always|most likely (?:a|the|it)|"
       r"usually (?:means|points)|(?:whether it's|whether it is|is it|could be) (?:just )?(?:\w+ ){1,4}or (?:just )?\w+", max_hits=2),
    _c("clarify", "asked about the goal", 1.0, r"what (?:the )?(?:company|business|team|we|leadership) (?:is |are |'re )?(?:trying|wants|aims|needs) to|"
       r"(?:company|business|team|org)(?:'s)? (?:goals?|strategy|objectives?)|goals? for the (?:year|quarter)|why (?:the company|the business|the team) (?:is |are )?(?:\w+ )?(?:building|doing|launching|adding)|(?:clarif\w*|ask\w*|understand\w*) (?:about )?the goal|"
       r"what(?:'s| is) the (?:goal|objective)|what (?:are|is) we (?:optimi[sz]ing|trying)|what (?:we're|we are) trying to"
       r"|(?:company|business|team)(?:'s)? (?:goals?|strategy|priorit\w+) (?:for|this|is|are)|why (?:are we|we're|we are) (?:\w+ )?"
       r"(?:building|doing|launching|adding)"),
    _c("clarify", "jumped straight to solutions", -1.0,
       r"^(?:so )?(?:um |uh |well |okay |ok |yeah )*" + I_WILL + r" (?:just )?(?:add|build|launch|ship|introduce|create|make)\b",
       "against"),
    _c("clarify", "acted before understanding", -1.0,
       r"(?:i'd|we'd|i would|we would|let's|so|and) just (?:roll|ship|launch|add|build|remove|drop|lower|double|push|kill)", "against"),
    _c("clarify", "refused to ask questions", -1.5,
       r"(?:no need|don't need|not going) to (?:ask|clarify|overthink|investigate|dig|analy[sz]e)|skip (?:the )?clarif|"
       r"don't overthink|without overthinking", "against"),
    # --- metrics: define success and own it -------------------------------------------------------------
    _c("metrics", "defined success", 1.5,
       r"(?:measure|track|judge) them (?:by|with|on)|"
       r"the (?:one |main |first )?(?:number|metric) (?:i'd|i would|we'd|we would|i) (?:really )?(?:care about|pick|choose|optimi[sz]e for)|"
       r"success (?:would be|is|metric|means|looks like|criteria|here is|has to be|should be|must be)|"
       r"(?:define|defining) (?:what )?(?:success|recovered|recovery|done|good|working|healthy)|north star(?! framework)(?! metric(?! (?:is|would be|here is|for|i'd|we'd)))|(?:primary|key|main|core|"
       r"top line|topline) metric|(?:measure|track|judge) (?:success|it|this|that) (?:by|with|through|using|on)"
       r"|the (?:one |main |first )?(?:number|metric) (?:i'd|i would|we'd|we would) (?:watch|look at|track|use|judge it by)"
       r"|(?:headline|one|main|real) (?:number|metric) (?:to be|is|would be|i'd|i would|we'd)|"
       r"the number (?:i'd|i would|we'd|we would|i) (?:hold|judge|care|go by)|"
       r"for success (?:\w+ ){0,5}(?:i'd|we'd|i would|we would) (?:look at|track|watch|measure|count|use)|"
       r"(?:i'd|i would|we'd|we would) (?:only )?count (?:the )?(?:people|users|riders|customers|groups|readers|buyers|"
       r"households|cleaners|members|accounts) (?:who|that)",
       refusable=True),
    _c("metrics", "named an outcome metric", 1.0,
       r"stick(?:s|ing)? around|they (?:come|came|keep coming) back|keep coming back|how long (?:\w+ ){0,3}takes? to|(?:rider|user|customer|install)s? from (?:ads|paid (?:ads|marketing|acquisition)) (?:\w+ ){0,2}costs?|\w+ per (?:order|trip|booking|transfer|session)|"
       r"(?:that|who) (?:hold|make|take|complete|place|book|do) (?:at least )?(?:a few|one|two|three|\d+|more|a) \w+ (?:in|per|a|each|every)|still \w+ing (?:\w+ ){0,4}(?:every|each|after|in|later)|(?:book|order|call|buy|ride|upload|post|pay|use it|come back) again|(?:what )?share of (?:\w+ ){0,3}(?:that|who|which|where)|never (?:come|came) back|(?:turning|turn|switch\w*|turned) (?:\w+ )?(?:notifications|pushes|alerts) off|"
       r"(?:upload|conversion|completion|success|retention|activation|churn|error|crash|failure|"
       r"adoption|repeat|return|click through|save|share|renewal|cancellation|fill|acceptance|resolution) rates?"
       r"|retention|churn|(?:daily|weekly|monthly) active|dau|wau|mau|revenue|gmv|arpu|lifetime value|ltv|"
       r"(?:d|day )(?:1|7|30)\b|(?:7|30) day|time to (?:first|complete|value|upload|book|order)|nps|csat"
       r"|\w+ per (?:active )?(?:user|rider|customer|day|week|minute|call|thousand|group)|(?:p\d\d|percentile|tail) latency|percentile (?:response|load|latency|wait|search) times?|"
       r"p\d\d|(?:paid |search |checkout |trial |order |free to paid )?conversion|watch time|fill rate|(?:loss|dispute|fraud|refund|chargeback|opt out|uninstall) rates?|(?:fraud|dispute|chargeback) losses|"
       r"completed (?:transfers|trips|bookings|orders)|paid conversion|(?:active|retained) (?:groups|users|riders)|"
       r"still (?:riding|using|active|ordering|uploading|subscribed|paying|there) (?:after|a)|crash free \w+|"
       r"per active \w+|"
       r"reports and hides|hides and reports|unsubscribes|complaint rates?|opt ?outs?|uninstalls?|"
       r"(?:people|users|riders|customers|readers|groups|buyers) (?:\w+ )?(?:coming|come|came) back|returning (?:users|riders|"
       r"customers|readers|buyers)|repeat (?:calls|orders|bookings|purchases|trips|visits|usage|use)|(?:are |is |come )?back on (?:a |the )?\w+ (?:\w+ ){0,5}later|cost per (?:new |acquired )?\w+|"
       r"acquisition cost|cac|payback",
       refusable=True, max_hits=2),
    _c("metrics", "set a target or baseline", 1.0,
       r"within the limits|compared (?:to|with) (?:\w+ ){1,3}from (?:ads|paid \w+)|only (?:move on|go wider|expand|continue) if|"
       r"(?:back|return|recover) to (?:the )?(?:baseline|normal|where it was|previous)|target (?:of|is|would be)"
       r"|from \d+ (?:percent )?to \d+|set (?:a |the )?target|(?:should )?stay (?:near|close to|under|below) (?:zero|\d+)|alerts? (?:that|which) (?:pages|fires|goes off)|by \d+ percent|within (?:a|one|two|\d+) (?:week|weeks|days|month)|thresholds?|"
       r"alerts? (?:on|for)|(?:stop|pause|halt|kill) (?:the \w+ |it )?(?:if|when)|compared (?:with|to) our|"
       r"within (?:a|one|two|a couple of|a few|\d+) percent|(?:above|below|under|over|at least) (?:\w+ ){0,2}percent"),
    _c("metrics", "set a guardrail or counter-metric", 2.0,
       r"(?:make sure|ensure|check) (?:that )?(?:\w+ ){1,3}(?:don't|doesn't|do not|does not|won't) (?:\w+ ){0,2}(?:hurt|harm|tank|regress|break|degrade|drop|lower|lose|suffer)|"
       r"guard ?rails?|counter ?metrics?|counter balanc\w*|health metrics?|not at the expense of"
       r"|without (?:hurting|harming|tanking|increasing|degrading|cannibali[sz]ing|regressing|breaking)"
       r"|(?:make sure|ensure|check) (?:that )?(?:we|it|this|that)(?: do| does)?(?:n't| not) (?:\w+ ){0,2}"
       r"(?:hurt|harm|tank|increase|regress|break|cannibali[sz]e|degrade|drop|lower)|"
       r"without (?:the )?\w+ (?:\w+ ){0,5}(?:collapsing|dropping|falling|rising|going (?:up|down|unfilled)|tanking|suffering|"
       r"creeping|climbing|spiking|increasing|getting worse|worsening|shooting up)|"
       r"stop criteri\w*|kill criteri\w*|hard limits|(?:goes?|go|rises?|gets?) above (?:say |like |roughly |about )?(?:a|some|the|\d+)|"
       r"(?:stop|pause|halt|roll back) (?:the \w+ |it )?if (?!something|anything)(?:the )?(?:\w+ ){1,7}(?:goes|go|rises?|drops?|falls?|exceeds?|above|below)"),
    _c("metrics", "said what the guardrail watches", 1.0,
       r"(?:guard ?rails?|counter ?metrics?|alerts?) (?:on|for|like|such as|around) (?!it\b|this\b|that\b)\w+"),
    _c("metrics", "watched for a side effect", 1.0,
       r"on the other side|whether (?:\w+ ){1,5}(?:go|goes|went) down|(?:spending|budget) (?:limit|cap)s?|"
       r"protect (?:the )?(?:\w+ ){0,5}(?:who|from|most likely)|keep an eye on|side effects?|"
       r"as long as (?:\w+ ){1,4}(?:doesn't|does not|don't|stays?|holds?)"),
    _c("metrics", "tied the metric to a business outcome", 1.5,
       r"early (?:signals?|indicators?|reads?)|leading signals?|"
       r"(?:ties?|tied|link(?:s|ed)?|connects?|connected|maps?|leads?|feeds?) (?:it |this |that |directly )?(?:back )?"
       r"(?:to|into) (?:revenue|retention|the business|business|outcomes?|engagement|growth|churn|subscriptions?)"
       r"|leading indicator|proxy for|(?:drives?|driving) (?:retention|revenue|growth)|business (?:outcome|impact|goal)"),
    _c("metrics", "measured the incremental effect", 2.0,
       r"incremental\w*|(?:would|wouldn't) have (?:got|gotten|come|had) (?:anyway|otherwise)|net new"),
    _c("metrics", "rejected a vanity metric", 1.0,
       r"not (?:just )?how many (?:\w+ ){0,2}(?:opened|clicked|downloaded|installed|started|signed up|sent)|(?:wouldn't|won't|don't|not) count (?:\w+ ){0,2}(?:started|sent|opened|downloads|installs|clicks|signups|starts)|"
       r"not (?:just )?(?:\w+ ){0,2}(?:downloads|installs|page views|likes|clicks|impressions|referrals sent|codes redeemed|"
       r"call starts|signups|raw \w+)|rather than (?:\w+ ){0,2}(?:downloads|installs|clicks|likes|page views)|"
       r"easy to (?:inflate|game|fake|pump up|juice)"),
    _c("metrics", "named a framework without content", 0.0,
       r"(?:heart|aarrr|pirate metrics|north star framework|okrs?) (?:framework|metrics|model)?", "name_drop"),
    _c("metrics", "a vanity metric", -1.0,
       r"downloads|page ?views|likes(?! to\b)|followers|impressions|installs|app opens|daily opens|number of visits|vanity|"
       r"(?:calls|sessions|uploads|chats) (?:get |got )?started|call starts|(?:how many|number of|total) (?:\w+ )?sign ?ups|"
       r"(?:email |push )?open rates?|times (?:the )?button (?:gets|got|is) (?:tapped|clicked)|"
       r"social media buzz", "vanity", max_hits=2),
    _c("metrics", "said success needs no measuring", -1.5,
       r"(?:don't|do not|doesn't) (?:think )?(?:we )?(?:really )?need (?:to|a|any) (?:measure|metric|track|number)"
       r"|metrics (?:don't|do not) matter|you(?:'ll| will) (?:just )?know (?:it|if it) work", "against"),
    # --- technical: reason about the system --------------------------------------------------------------
    _c("technical", "reasoned about APIs and client/server", 1.0,
       r"servers|infrastructure|"
       r"(?:banks?|providers?|partners?) (?:we |they )?(?:cover|support)|"
       r"connect(?:ion|ions|ing)? to (?:the )?(?:\w+ )?(?:banks?|partners?|providers?|apis?)|bank (?:connections?|coverage|integrations?)|"
       r"aggregators?|connect (?:their|your|a|the|an) (?:bank|account|card)|fans? ?out|link analysis|"
       r"takes? (?:a day|a few days|\w+ (?:hours|days)|a day or so) to (?:verify|clear|settle)|(?:card|phone|identity) verification|"
       r"api|apis|endpoints?|sdk|back ?end|server(?: side)?|client(?: side)?|(?:the )?upload service|microservice|"
       r"https?|payloads?|(?:http|api|network|upload|transfer) requests?|status codes?|(?:4|5)(?:\d\d|xx)s?(?: errors?| responses?)?|"
       r"(?:index|search|ranking|upload|payment|notification|background|recommendation|serving|backend|partner) "
       r"(?:cluster|service|call|api|model|pipeline|server|layer|index)|load tests?|gpus?|serving|integrations?"),
    _c("technical", "reasoned about sync and state", 1.5,
       r"refresh\w*|co ?edit\w*|real ?time|"
       r"real ?time sync\w*|sync(?:ing|ed|s)?|web ?sockets?|polling|pull to refresh|last write wins|conflict resolution|"
       r"live updates|consisten(?:t|cy)|source of truth|(?:shared|app|client) state|poll\w* (?:every|for)|fetch\w* (?:the )?(?:latest|newest|new|current)|nothing to merge|merg(?:e|es|ed|ing) (?:the )?(?:changes|edits)|(?:its|their) own (?:row|record|entry)|on the (?:phone|device) (?:and|until)", max_hits=3),
    _c("technical", "named system constraints", 1.0,
       r"(?:in|runs?|running) (?:the )?background|(?:system|os|android|ios) (?:\w+ ){0,2}kill\w*|"
       r"(?:smaller|lighter|cheaper|distilled) (?:version|model)|"
       r"data residency|privacy|gdpr|where (?:the )?(?:\w+ )?data (?:can|is allowed to|has to|must|may) (?:live|be stored|sit)|"
       r"(?:aggregation|data) (?:partner|provider)s?|(?:data|it) (?:\w+ ){0,3}(?:stay|be stored|be kept|live) (?:in|inside) (?:the )?(?:country|region|eu)|"
       r"latency|bandwidth|battery|memory|throughput|time ?outs?|timed out|cpu|disk space|file size|compression|"
       r"(?:network|connection) (?:conditions|quality|changes|drops?|loss)|os (?:kills?|restrictions?|limits?)|doze|"
       r"background (?:limits?|restrictions?|execution)|compute|(?:serving|infrastructure|server|running) costs?|"
       r"costs? to (?:run|serve)|(?:seconds?|milliseconds?) (?:of )?(?:delay|lag)"),
    _c("technical", "followed the data flow", 1.0,
       r"(?:crash|error) report\w*|"
       r"(?:inputs?|features?|signals?) (?:\w+ )?(?:come|comes) from|upstream|stale\w*|computed (?:once a day|daily|nightly|hourly|in batch)|"
       r"(?:separate|new|local) (?:data )?stores?|data stores?|"
       r"rise in (?:\w+ )?errors|errors? (?:spik\w*|went up|rose)|"
       r"data flow|pipeline|queues?|background (?:service|job|task|upload|worker|process)|work ?manager|job scheduler|"
       r"cdn|cach(?:e|ing)|database|schema|event stream|(?:client|server|crash|error) logs?|logging|instrumentation|"
       r"events? (?:for|on|per) (?:each|every) (?:screen|step|page|stage)|walk (?:me |you )?through (?:it|the (?:flow|path|steps))|"
       r"(?:payment|app|api|server|client|upload|sync|network) (?:failures|errors)|pull\w* in (?:the )?transactions|"
       r"telemetry|crash (?:reports?|rate)|stack traces?|error codes?|migration|batch (?:jobs?|process\w*)|cron"),
    _c("technical", "used reliability patterns", 2.0,
       r"behind a (?:feature )?flag|flag(?:ged)? (?:off|on)|(?:a )?way (?:back|to go back|to roll back)|(?:lower|reduce|degrade|drop) (?:the )?(?:video |audio |image |stream )?quality|degrade\w* gracefully|"
       r"idempoten\w*|rate limit\w*|retr(?:y|ies|ying)|(?:exponential )?back ?off|"
       r"kill ?switch|feature flags?|roll ?back|revert|"
       r"circuit breaker|dedup\w*|hot ?fix", max_hits=2, one_per_sentence=True),
    # One idea however it is said ("in rings ... then wider" is one staged rollout, not two patterns).
    _c("technical", "staged the rollout", 2.0,
       r"in (?:rings|stages|waves|phases)|employees first|dogfood\w*|(?:then|and then) (?:go )?wider|"
       r"a small (?:share|slice|percentage|group) of (?:\w+ )?users|(?:staged|phased|gradual|percentage|"
       r"incremental) roll ?outs?|roll(?:ing)? (?:it )?out to \d+|canary"),
    _c("technical", "tied it to releases and versions", 1.0,
       r"(?:release|version) \d|app versions?|release notes|(?:os|android|ios) versions?|device models?|code (?:change|diff)|"
       r"the (?:last|latest|new) (?:release|build|deploy)|deploy(?:ed|ment)?|diff"),
    _c("technical", "left the technical side to others", -2.0,
       r"leave (?:the |all )?(?:technical|tech|engineering) (?:side|stuff|details|part|bits)?(?: of it)? to|"
       r"leave (?:that|it|this) to (?:the )?(?:engineers|engineering|devs|developers|tech)|"
       r"(?:hand|give) (?:it|that|this) (?:over )?to (?:the )?(?:engineers|engineering|devs|developers|cto)(?: team)?|"
       r"(?:do not|don't) know (?:the|much about the) code|that's (?:his|her|their) world|"
       r"trust (?:my|the|our) (?:cto|engineers?|tech lead|dev team) to (?:sort|fix|figure|handle|deal)|"
       r"(?:they'll|they will) know what changed|(?:is|that's|it's) (?:an|a) (?:engineering|tech|technical) thing|"
       r"trust (?:them|engineering|the engineers|the team) (?:on|with) (?:that|this|the technical)|engineers? (?:will|would|can) "
       r"(?:figure|sort|work) (?:it |that |this )?out|not (?:very |really )?technical|not my (?:job|area|problem)|"
       r"don't need to (?:know|understand) (?:how|the tech)|"
       r"(?:engineers?|engineering|the devs?|developers|the tech team|tech) (?:will|would|can|could|should|'ll) "
       r"(?:\w+ )?(?:figure|sort|work) (?:\w+ ){0,3}out|(?:figure|work|sort) out the (?:technical|tech) (?:details|side|stuff|bits|part)",
       "against"),
    # shipping to everyone at once with no way to stop: no stage, no stop rule in the same breath
    _c("technical", "shipped to everyone at once with no stop condition", -1.5,
       r"(?:ship|launch|release|roll|push|open|turn) (?:it |this |that )?(?:\w+ )?(?:out )?(?:to|for) (?:everyone|everybody|all (?:\w+ )?"
       r"(?:users|riders|customers|readers)|the whole (?:\w+ )?base) (?:at once|on day one|in one go|straight away|immediately|"
       r"right away|at the same time)(?!.{0,60}\b(?:if|unless|kill|stop|pause|roll ?back|flag)\b)|"
       r"(?:big bang|all at once) (?:launch|release|rollout)(?!.{0,60}\b(?:if|unless|kill|stop|pause|roll ?back)\b)", "against"),
    # cutting the checks that catch failures to hit a date: "skip the security review", "fix bugs after launch"
    _c("edge_cases", "cut testing or review to ship sooner", -1.5,
       r"(?:skip|skipping|cut|cutting|drop|dropping|squeez\w*|shorten\w*|rush\w*|compress\w*) (?:\w+ ){0,3}"
       r"(?:testing|tests|qa|security (?:review|check|audit)s?|reviews?|bug bash|hardening)\b|"
       r"fix (?:\w+ ){0,2}(?:bugs?|issues?|problems?) (?:after|post)[ -]?(?:launch|release)|"
       r"(?:bugs?|issues?) (?:can wait|after (?:we )?launch)", "against"),
    # --- edge cases: abuse, failure states, scale --------------------------------------------------------
    _c("edge_cases", "considered abuse or fraud", 2.0,
       r"abuse|abusing|fraud\w*|spam\w*(?! (?:readers|users|people|customers|subscribers|our))|bots?(?! filter)|fake accounts?|fakes|fake (?:users|riders|referrals|sign ?ups|reviews|orders)|malicious|bad actors?|exploit\w*|gam(?:e|ing) the|scams?|"
       r"misuse|harass\w*|inappropriate content|moderation|trust and safety|stolen (?:cards?|accounts?)|impersonat\w*|"
       r"emulators?|throwaway|referring themselves|clickbait|extreme (?:content|videos|posts)|harmful|rabbit holes?|"
       r"spiral\w*", max_hits=2),
    _c("edge_cases", "considered failure states", 1.5,
       r"(?:job|pipeline|service|call|model|request|payment|upload|sync) fails?|missing (?:data|features?|inputs?)|(?:feature|data|input) is missing|"
       r"freez\w*|froze|(?:calls?|connections?) (?:\w+ )?drop\w*|"
       r"fail(?:s|ed|ure|ures)? (?:states?|modes?|cases?|silently|halfway|mid)|what happens (?:if|when)|(?:goes|go|went|is|are|be|being|while|when|phone) offline|offline (?:mode|support|first|access|in|at|on|while|when|for|edits?|changes|writes|use|users)|works? offline|"
       r"(?:someone|somebody|people|users?|they|you|devices?|phones?|it) (?:\w+ )?offline|"
       r"no (?:network|connection|signal)|(?:poor|bad|flaky|slow|spotty|weak) (?:connectivity|networks?|connections?|signal)|"
       r"interrupted|mid (?:upload|way)|half (?:finished|uploaded)|partial(?:ly)? (?:upload|fail|transfer|payment|save|data|write|state|outage)\w*|corrupt\w*|duplicates?|double (?:charge|upload|post)|"
       r"times? out|don't know (?:if|whether) (?:the|it)|bad (?:first )?(?:trip|experience|call)|"
       r"wait times? (?:go|goes|going|climb\w*) up|"
       r"error (?:states?|messages?|screens?)|silent(?:ly)? fail\w*|stuck|dying|twice(?! as\b)|time ?outs?|frozen|dropping out",
       max_hits=3),
    _c("edge_cases", "considered concurrent use", 2.0,
       r"(?:two|both|several|multiple) (?:people|users|devices|members) (?:\w+ ){0,2}(?:edit|chang|writ|updat|add|book|tap|tick|mark|check)\w*|"
       r"(?:edit|chang|tap|click|book|pay|send|redeem|writ|updat)\w* (?:\w+ ){0,4}at (?:the same time|once)|conflicts?|"
       r"race conditions?"),
    _c("edge_cases", "considered scale", 1.5,
       r"at scale|scal(?:e|es|ing|ability)|peak|spikes?|load|(?:millions|thousands) of|concurrent\w*|(?:traffic|usage|demand) (?:spikes?|peaks?|surges?|doubles|triples|grows)|(?:heavy|more|extra|ten times|10x) (?:the )?traffic|capacity|"
       r"thundering herd|hot spots?"),
    _c("edge_cases", "named specific edge populations", 1.0,
       r"local formats?|currenc(?:y|ies)|date formats?|time ?zones?|right to left|"
       r"old(?:er)? (?:devices|phones|android|os|versions)|low end|large (?:files|photos|videos)|huge (?:files|photos)|"
       r"storage (?:is )?full|permissions?|battery saver|low battery|accessibility|screen readers?|"
       r"(?:other|different) (?:countries|languages|markets|time ?zones)|slow phones|roaming|metered|new accounts|"
       r"(?:poor|weak|bad|mobile) networks?|network types?|new creators|(?:with )?no (?:watch |viewing |purchase )?history|cold start"),
    _c("edge_cases", "said how to detect or limit it", 1.5,
       r"(?:only )?pays? (?:\w+ ){0,2}(?:only )?(?:after|once)|(?:can|may) (?:only )?(?:refer|send|redeem|invite|create|post) (?:\w+ ){0,3}(?:a|per) (?:month|week|day)|hold (?:the )?(?:(?:payout|credit|transfer|fund|reward)s?|money)|cap (?:\w+ ){0,2}per (?:person|user|rider|account|customer|referrer|week|month|day)|cap (?:\w+ ){1,2}at|(?:released|paid out|unlocks?|lands|goes out|credited) (?:\w+ ){0,4}(?:after|once|until) (?:the )?(?:friend|referred|new|first)|(?:nobody|no one) gets (?:anything|a cent|paid|money) (?:at|on|until|before)|(?:wait|hold (?:off|back)|stop \w+ing) (?:\w+ ){0,4}until the (?:bonus|credit|reward|discount|incentive)|waiting period|cooling off|cap of|(?:credit|payout|reward|bonus|money) (?:\w+ ){0,2}only (?:after|once)|(?:accounts?|users|riders|people) (?:that |who )?share (?:a |the )?(?:device|phone|card|ip|address|payment)|link (?:\w+ )?accounts that|catch (?:\w+ ){0,4}(?:accounts|fraud|cheaters|abuse|fakes)|device ids?|cap (?:it|them) at|"
       r"frequency caps?|quiet hours|"
       r"detect\w* (?:\w+ ){0,2}(?:fraud|abuse|spam|fake|rings?|bots?|anomal\w*|suspicious|it|them|that|this|those|failures?|"
       r"duplicates?)|detection|holds? on|limits? (?:per|on)|caps? (?:on|per|the)|cap\w* (?:the )?(?:number|group size|size)|throttl\w*|"
       r"block\w*|delay (?:the )?payouts?|pay (?:the credit )?only after|rings of|flag suspicious|kill ?switch|reconcil\w*|"
       r"cap (?:how many|the number|how much)|"
       r"switch (?:it )?back (?:to|instantly|quickly|immediately)"),
    _c("edge_cases", "said how it recovers", 1.0,
       r"fall ?backs?|(?:falls?|fell|falling) back|graceful\w*|resum(?:e|es|ed|ing)|(?:back|comes? back) online|last write wins|conflict resolution|"
       r"queue (?:it|them|\w+) (?:up )?(?:until|for later)|retry later|undo|reconnect\w*|when (?:the )?(?:signal|connection|network) (?:comes back|returns)"),
    _c("edge_cases", "mentioned edge cases by name", 0.5, r"edge cases?|corner cases?|what could go wrong"),
    _c("edge_cases", "dismissed edge cases", -1.5,
       r"(?:fraud|abuse|security|risk|spam|edge cases)(?: is| are)? (?:\w+ ){0,5}(?:handles?|handled by|takes? care of|their (?:job|problem))|"
       r"(?:wouldn't|won't|don't|not|no need to) (?:\w+ ){0,3}(?:worry|bother|care|think) (?:too much |much )?about "
       r"(?:edge|corner|abuse|fraud|scale|spam|failures?|what could go wrong)|"
       r"edge cases (?:are|aren't) (?:rare|not important|not worth|not a priority)|(?:deal|handle) with (?:edge cases|that|abuse) later|"
       # "friends aren't going to scam each other", "nobody will game it": abuse waved away, not considered
       r"(?<!sure )(?<!ensure )(?<!that )(?<!check )(?<!if )\b\w+ (?:aren't|are not|won't|will not|wouldn't|isn't|don't) "
       r"(?:going to |gonna |really |ever )?(?:scam|abuse|cheat|game|defraud|exploit|misuse|spam)\b|"
       r"(?:nobody|no one) (?:will |would |is going to |is gonna )?(?:really )?(?:scam|abuse|cheat|game|defraud|exploit|misuse)\b|"
       # "fraud, we'd add some checks later": abuse deferred until it shows up
       r"(?:fraud|abuse|leakage|spam)\b.{0,80}\b(?:and|just) move on\b(?! (?:if|once|when|after|only))|"
       r"(?:fraud|abuse|leakage|spam|game|gamed|cheat\w*|fake \w+)\b.{0,80}\b(?:cost of doing business|so what)\b|every (?:promo|launch|campaign|program) loses some|always (?:some|a bit of) (?:leakage|fraud|abuse|spam)|"
       r"(?:don't|do not) (?:really )?(?:think|see|expect) (?:there (?:are|is|will be|would be) )?(?:\w+ ){0,2}(?:risks?|problems?|issues?|"
       r"downsides?|edge cases)(?! (?:because|since|as long|if|once|given|with|unless))|"
       r"nothing (?:really |much )?(?:can|could|will|would) go wrong|(?:no|zero) (?:real |big |major )?risks? (?:here|at all|really)|"
       r"overthink\w* (?:the )?(?:fraud|abuse|security|risk|edge cases)|(?:the )?risk is (?:pretty |really |very |fairly )low(?! (?:because|since|as long|if|once|given|with))|"
       r"handles? (?:the |all the )?(?:security|fraud|abuse|risk)|"
       r"if (?:fraud|abuse|spam|gaming|cheating) (?:shows up|happens|becomes (?:a )?(?:problem|issue)|appears|starts)\w*,? "
       r"(?:then )?(?:we|i)(?:'d|'ll| will| would| can)? (?:\w+ ){0,4}(?:later|then)|"
       r"(?:fraud|abuse|spam|gaming|security|edge cases?)(?: is| are)?,? (?:i|we)(?:'d| would| will|'ll| can| could)? "
       r"(?:\w+ ){0,4}(?:later|after (?:launch|we launch)|if (?:we|it) (?:see|becomes?|turns? out))",
       "against"),
) + DECISION_CONCEPTS

# What the case question asks for by name ("what would you do?" asks for a decision, "keep it from being gamed" for
# edge cases). Among equally weak dimensions the first follow-up goes to one the question asked for: an answer that
# skipped what it was asked is probed there before anything else.
QUESTION_NEEDS: dict[str, re.Pattern[str]] = {
    dim: re.compile(r"\b(?:" + regex + r")\b")
    for dim, regex in {
        "clarify": r"figure out|work out|find (?:out )?(?:the )?causes?|what happened|what's going on",
        "metrics": r"success\w*|worked|know (?:if|whether|it's|it is|that)|better|measure\w*|metrics?|stop",
        "edge_cases": r"safe\w*|gam(?:ed|ing)|abuse\w*|fraud\w*|risk\w*|go wrong|fail\w*",
        "tradeoffs": r"cut|prioriti[sz]e|decide|what (?:would|do|should) you do|do about it|whether to|ship it|kill it|choose",
        "data": r"figure out|work out|find (?:out )?(?:the )?causes?|what happened|what's going on|experiment\w*",
        "technical": r"production|back ?end|system|api|reliab\w*",
    }.items()
}
