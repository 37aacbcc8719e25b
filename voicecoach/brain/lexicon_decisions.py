"""What counts for trade-offs and for the use of data: the decision half of the lexicon (see lexicon.py)."""

from __future__ import annotations

from voicecoach.brain.concept import Concept
from voicecoach.brain.concept import concept as _c

DECISION_CONCEPTS: tuple[Concept, ...] = (
    # --- trade-offs: user value, engineering cost, business priorities -----------------------------------
    _c("tradeoffs", "stated an explicit trade-off", 1.5,
       r"more (?:\w+ )?(?:work|effort|time|money) than|(?:but|while) it (?:doesn't|does not|won't) (?:\w+ ){0,2}(?:burn|hurt|cost|annoy|lose)|goes (?:mostly |all )?to (?:the )?(?:cleaner|driver|seller|creator|rider|partner)s?|pays? for (?:delivery|\w+ costs?)|"
       r"targeted (?:\w+ )?(?:decision|rollout|launch|change|fees?|fix)|(?:one|the same|a common) scale|who pays|"
       r"trade ?offs? (?:between|is|here|would be|we|i|of)|(?:at|is) the (?:cost|expense) of|on the other hand|"
       r"downside|the risk (?:is|of)|in exchange|(?:costs?|slows?|delays?) us|weigh\w*|balance (?:that|this|it|against|between)"
       r"|whichever (?:is|returns|gives|wins)|(?:faster|cheaper|safer|riskier|slower) (?:but|and|or)|(?:but|and) (?:it )?costs?|"
       r"against the (?:plan|cost|risk)|middle (?:path|ground)|compromise|both (?:are|sides are) right|split the difference|"
       r"pays? for (?:the|itself)|worth the (?:cost|extra|risk)|costs? more|more expensive|extra (?:compute|cost|work)|"
       r"(?:cheaper|faster|safer|riskier|slower|quicker|easier) than|(?:only|just) for (?:the )?(?:\w+ ){1,4}(?:and )?(?:keep|leave)|"
       r"(?:keep|leave) (?:\w+ ){1,4}for (?:the rest|everyone else|everybody else|others|the others)|"
       # the price of a choice said in plain words: "even though that means maintaining two flows", "a search that
       # hangs loses more sales than better ordering wins", "we give up a little of our cut"
       r"even though (?:\w+ ){0,3}(?:means?|costs?|is|takes)|it means (?:\w+ ){0,3}(?:doesn't|don't|won't|lose|losing|give up|"
       r"giving up|maintaining|waiting)|(?:loses?|costs?) (?:us )?more (?:\w+ ){0,3}than (?:\w+ ){0,4}(?:wins?|gains?|earns?|"
       r"brings?|(?:are|is) worth)|than (?:the )?(?:\w+ ){0,2}(?:are|is) worth|give up (?:a little|some|a bit|part) of|"
       r"most of the value|(?:a )?fraction of the (?:time|cost|effort|work)|(?:the )?same currency|"
       r"whichever (?:team|side|one|group) loses|nobody gets everything|split the cost|(?:a )?fair price (?:for|to)|"
       r"(?:from|out of) our (?:cut|margin|commission|pocket)|(?:extra|more) (?:work|maintenance|cost|upkeep),? but|"
       r"(?:carry|absorb|eat|take) (?:most|some|part|all|a share) of (?:it|the cost|that)|"
       r"(?:cheap|small|nothing|tiny) (?:next to|compared (?:to|with)|against) (?:losing|the|a|what)|"
       r"(?:has|have|needs? to) (?:to )?cover (?:that|the|its) (?:bill|cost)|swap (?:\w+ ){0,4}for", max_hits=2),
    _c("tradeoffs", "chose one option over another", 1.0, r"instead of|rather than|instead(?! of)|rather (?:\w+ ){1,12}than"),
    _c("tradeoffs", "made a call", 1.5,
       r"(?:wouldn't|won't|not) just (?:drop|remove|cut|kill|reverse|lower|roll back)|"
       r"i(?:'d| would) recommend|my recommendation|recommend (?:we|that)|clear call|"
       r"(?:i'd|i would|we'd|i'll|i will) (?:probably |still )?(?:accept|take it|choose|pick|go with|live with|rather)|"
       r"accept (?:that|we|losing|a bit|some)|"
       r"worth (?:it|the)|not worth|make the call|my call|(?:i'd|i would) (?:not|never) (?:ship|launch|double)|"
       r"i wouldn't (?:ship|launch|double|do)"),
    _c("tradeoffs", "named the stakeholders", 1.0,
       r"stakeholders?|align(?:ment)? with|marketing|sales|legal|(?:customer )?support (?:team|tickets)|leadership|finance|"
       r"designers?|design team|editors?|growth (?:lead|team)|risk team|(?:engineering|eng) (?:cost|effort|time|capacity|team|lead)|ops team|"
       r"the team's roadmap|(?:tell|told|telling|align\w*|agree\w*|talk\w*|negotiat\w*|brief\w*|warn\w*|update|with|ask) "
       r"(?:\w+ ){0,3}partners?|partner(?:'s|s')? (?:team|relationship|expectations|needs|wants|launch|marketing|date)"),
    _c("tradeoffs", "prioritised and said what not to do", 1.5,
       r"start (?:with a )?small|"
       r"(?:minimal|minimum|simplest|thinner|smaller|cut down) (?:version|launch|scope|release)|cut (?:\w+ ){0,2}(?:features?|scope|comments|things)|(?:don't|not|never|won't) cut (?:\w+ )?(?:quality|testing|corners|security)|quality bar|non ?negotiable|defer\w*|what(?:'s| is) in and (?:what(?:'s| is) )?out|"
       r"prioriti[sz]\w*|deprioriti[sz]\w*|(?:would not|wouldn't|won't|not) (?:build|do|ship|touch|start|launch|run|spend|"
       r"invest|double|roll out|launch every) .{0,40}(?:now|yet|first|until|launch|phase|quarter)|deliberately not|"
       r"not doing|what (?:we're|we are|i'm) not|hold off|delay (?:that|the|it)|postpone|push back(?! on)|park (?:it|that|the)|"
       r"can wait|waits? (?:for|until) (?:the )?(?:next|a later|later|after|we|it|there)|everything else (?:can )?waits?|the rest (?:can )?waits?|(?:all|can all|they all|those all) wait\b|not negotiable|"
       r"(?:go|goes|going) (?:\w+ ){0,2}(?:on the roadmap|into a (?:follow ?up|later|next) release|to a (?:later|follow ?up|next) release)|"
       r"for after the (?:\w+ )?launch|hold (?:the )?(?:planned )?(?:\w+ ){0,2}(?:campaign|launch|push|promo|promotion) until|"
       r"no point (?:in )?\w+ing|(?:wouldn't|won't|not) (?:try|bother) to|cut (?:anything|everything)|in and out list|"
       r"nice extra|not the core|matters? less|can't skip|must have|nice to have|good enough|(?:is|are) fine for|out of scope|descope|cut (?:the )?scope|say no|mvp|"
       r"smallest (?:thing|version|fix)|quick wins?|(?:fix|stop) the bleeding|first priority|(?:the )?first thing (?:i'd|i would|we'd|we would|to) (?:do|fix|ship|cut|build|simplify|drop|change)|phase (?:one|two|1|2)|"
       r"sequenc\w*|later (?:phase|release)|before (?:anything|we build) else|(?:comes?|goes|go) (?:before|first)|fast follow\w*|"
       r"(?:move|push|leave|save|defer|put)\w* (?:\w+ ){0,4}(?:to |for |until )?(?:after (?:the )?launch|later|next (?:quarter|"
       r"release|version|sprint)|version two|v2)|what's in and (?:what's )?out|before (?:we )?(?:launch|go live|go wider)|"
       r"(?<!if )(?<!if the )(?<!whether )(?<!whether the )\b\w+ (?:is|are) (?:perfectly )?(?:fine|acceptable)", max_hits=2),
    _c("tradeoffs", "weighed cost against impact", 1.0,
       r"(?:out of|from) (?:our|the) (?:margin|pocket|budget)|(?:our|the) margin|"
       r"effort|impact (?:vs|versus|against|and effort)|roi|return on|opportunity cost|cost (?:and|vs|versus) benefit|cheap\w*|"
       r"reversible|(?:low|lower|high|higher) risk|costs? (?:us )?(?:margin|money|a lot|time)|burns? (?:money|cash|budget)|"
       r"(?:cuts?|saves?) (?:\w+ )?weeks|divide (?:each|it|that) by|per (?:engineering )?week|"
       r"(?:engineering|dev) (?:cost|time|weeks)|(?<!give it )(?:one|two|three|four|\d+) (?:weeks|sprints)|every (?:day|week) we wait|"
       r"(?:lost|losing|lose) (?:\w+ )?(?:orders|sales|revenue|customers|users|riders|readers|money|deals?)|"
       r"(?:paid|spent|spend|pay|paying) (?:\w+ ){0,3}for nothing|spend (?:that|the|our) (?:effort|time|budget|money|engineering) on"),
    _c("tradeoffs", "balanced users against the business", 1.0,
       r"user value|business (?:value|priorit\w*|goals?|needs?)|short term|long term|(?:users|customers) (?:vs|versus|against)"),
    _c("tradeoffs", "named a framework without content", 0.0, r"rice|ice (?:score|framework)|moscow|kano", "name_drop"),
    _c("tradeoffs", "claimed there is no trade-off", -1.5,
       r"no trade ?offs?|(?:do|ship|build) (?:all|everything) (?:of (?:it|them) )?(?:at once|together)|"
       r"everyone (?:will be|is) happy|we can do (?:it )?all", "against"),
    _c("tradeoffs", "left the call to someone else", -1.5,
       r"let (?:them|leadership|the execs?|management|the ceo|the team) (?:make|decide|take) (?:the )?(?:final )?(?:call|decision)|"
       r"leave the (?:final )?(?:call|decision) to", "against"),
    _c("tradeoffs", "refused to make a decision", -1.5,
       r"(?:i|we) (?:can't|cannot|couldn't|wouldn't|won't|don't want to|would rather not|'d rather not) (?:really )?"
       # "I wouldn't decide anything on day one alone", "we wouldn't pick a winner on week one" judge the evidence, they
       # do not refuse the call
       r"(?:decide|choose|pick|commit|make (?:that|the|a) call)(?! (?:\w+ ){0,2}(?:until|before|without|"
       r"on|based|from|by|just|only)\b)|no need to (?:choose|pick|decide)|"
       r"(?:do|try|ship|build|fund|pull|use) (?:all|every one|each) of them|no (?:reason|need) to (?:pick|choose) (?:just )?one|"
       r"(?:do|doing|try|trying) (?:everything|all of (?:it|them)) at (?:once|the same time)|(?:it )?(?:all )?depends,? (?:really|honestly)?$|"
       r"hard to say(?:,| really| honestly)?$", "against"),
    # --- data: discover, prioritise, kill bad ideas early -------------------------------------------------
    _c("data", "segmented the data", 2.0,
       r"(?:split|cut|break)\w* (?:\w+ ){0,4}(?:by|down by)|"
       r"segment\w*|break (?:it|this|that|the \w+) down|broken down|breakdown|slic(?:e|ing)|(?:split|cut) (?:it|the data|this) by|"
       r"by (?:platform|os|country|region|device|app version|version|cohort|user type|channel|city|query type|basket size)",
       refusable=True),
    _c("data", "named specific cuts to compare", 0.75,
       r"operating systems?|app builds?|"
       r"mobile|desktop|(?:long|short) queries|filters|(?:new|regular|existing|returning|loyal) (?:or|versus|vs|and) (?:new|regular|existing|returning|occasional)|"
       r"which (?:searches|queries|users|requests|calls|orders|cities|screens|steps)|"
       r"platforms?|app versions?|os versions?|regions?|country|countries|city|cities|device(?: type)?s?|"
       r"new (?:versus|vs|and|or) (?:existing|returning)|query types?|basket sizes?|network types?|"
       r"beginners? (?:versus|vs|and) advanced|\w+ (?:versus|vs) \w+|(?:people|users|readers|customers|riders|learners|buyers) who "
       r"(?:already )?(?:\w+ ){0,2}(?:open|use|buy|order|read|ignore|ride|book|pay|churn|leave|left)\w*", max_hits=4),
    _c("data", "lined the change up against events", 1.0,
       r"before and after (?:the )?(?:release|launch|change|deploy\w*|update)|"
       r"(?:connect|link|tie|match)\w* (?:\w+ ){0,3}(?:to|with) the (?:\w+ )?(?:timing|changes?|release|launch)|the timing|around (?:that|the same) time|"
       r"line(?:s|d)? up (?:\w+ ){0,5}(?:with|against)|correlat\w*|coincid\w*|timeline|release calendar"),
    _c("data", "walked the funnel", 2.0,
       r"which (?:screen|page|step)|"
       r"funnels?|(?:each|every|which) step|drop ?off (?:point|step)|where (?:in the flow|users drop|people drop|they drop)|"
       r"step by step conversion", refusable=True),
    _c("data", "used cohorts", 2.0, r"cohorts?", refusable=True),
    _c("data", "ran an experiment", 1.5,
       r"(?:half|part|some|a slice|\d+ percent) of (?:the )?(?:traffic|users|requests) (?:\w+ ){0,8}compare|compare (?:\w+ ){0,4}(?:in )?each (?:half|group|arm)|run (?:it|this|them) (?:live |side by side )?against (?:the )?(?:current|old|existing)|(?:test|tests|testing|try|trial|pilot)\w* (?:\w+ ){0,4}in (?:a couple of|a few|some|two) (?:\w+ )?(?:cities|markets|countries|regions)|"
       r"keep (?:a|some) (?:slice|share|group|percentage|portion|set) of (?:\w+ ){0,2}(?:users|readers|customers|riders) on|holdout (?:city|market|region|group)|(?:compare|compared) (?:\w+ ){0,3}(?:with|to|against) (?:\w+ ){0,3}(?:that|who) (?:never|don't|didn't)|"
       r"(?:test|tests|testing|try|trial|pilot)\w* (?:\w+ ){0,4}in (?:one|a single|two) (?:city|cities|market|country|region)|pilot|"
       r"a ?b tests?|ab tests?|experiments?|holdouts?|control group|randomi[sz]\w*|test (?:and|vs|versus) control|"
       r"(?:against|as) (?:a |the )?control|side by side (?:on|with|for)|(?:new|old|control|test|treatment) arm\b|test (?:a|it|the) \w+ in", refusable=True),
    _c("data", "sized the experiment properly", 1.5,
       r"(?:big|large|long) enough to (?:see|detect|measure|tell|show)|"
       r"(?:statistical(?:ly)? )?significance|significant (?:result|lift|difference|change)|is (?:it|that|this|the \w+) significant|"
       r"power(?:ed)?|sample sizes?|statistical(?:ly)? significan\w*|minimum detectable|mde|confidence intervals?|"
       r"p values?"),
    _c("data", "checked whether the evidence holds up", 1.0,
       r"noise|can't tell|inconclusive|underpowered|some (?:people|users|groups|learners) (?:might|may|could) (?:be )?(?:losing|worse|hurt)|for (?:a few|several) (?:weeks|months)|"
       r"(?:average|averages|overall number|topline) (?:\w+ )?(?:hides?|masks?|can hide)|the long run|for (?:two|three|several|a few|\d+)(?: or (?:two|three|four|\d+))? months|"
       r"novelty effect|long (?:running|term) (?:holdout|effect|test)|over (?:several|a few|many) (?:weeks|months)|"
       r"offline (?:wins|results|metrics|tests|gains) .{0,30}(?:don't|do not|may not|might not|rarely|often)|"
       r"(?:hide|hiding|mask\w*) (?:a|the) (?:gain|loss|drop|effect)"),
    _c("data", "sized the options to prioritise", 1.5,
       r"(?:turn|convert|put) (?:each|every|all) (?:option|of them|one) (?:into|in) (?:money|dollars|revenue|numbers)|"
       r"how many (?:\w+ ){1,4}(?:go|are|get|were|went) (?:unfilled|unanswered|lost|abandoned|cancelled|dropped)|"
       r"size (?:each|every|the|both) (?:option|options|bet|idea)|what (?:\w+ ){1,6}(?:is|are) (?:really )?worth|"
       r"put numbers|(?:annual|deal) value|odds (?:it|that|of)|tag the (?:top )?(?:themes|tickets|reasons)|"
       r"churned (?:accounts|users|customers)|estimate (?:the|each|how)|"
       r"how much (?:churn|revenue|money|time) (?:\w+ ){0,5}(?:is|are) (?:causing|worth|costing)|"
       r"(?:to )?(?:spot|find|catch|identify) (?:rings|patterns|anomal\w*|outliers)", max_hits=2, one_per_sentence=True),
    _c("data", "used data to discover or decide", 1.0,
       r"(?:small|cheap|quick) test|(?:goes|go|send it|sent) back to (?:the )?(?:data science|team|drawing board)|"
       r"the average (?:\w+ ){0,3}(?:won't|doesn't|hides|can hide|tells? (?:us )?(?:little|nothing))|(?:average|averages) (?:is|are) hiding|"
       r"(?:stop|pause|kill) or (?:expand|continue|scale)|(?:stop|pause|kill|expand|roll (?:it )?back|scale (?:it )?up|go wider) (?:\w+ ){0,3}(?:if|when|unless)(?! something| anything)|what would (?:make|change) (?:me|us|my mind)|what would reverse|would kill (?:it|the \w+)|checkpoint|revisit (?:it|this|the decision)|fake ?door|smoke tests?|painted door|(?:test|validate|try) (?:\w+ ){0,3}(?:cheaply|before (?:we )?(?:build|commit|invest))|before (?:committing|building|investing)|(?:than|not|beyond) (?:just |only )?the average|the slowest|percentiles?|"
       r"dashboards?|query|queries|sql|logs|baseline|trend\w*|week over week|year over year|seasonal\w*|historical|"
       r"compare (?:it |this )?(?:to|with|against) (?:last|previous|the same)|kill (?:it|the idea|bad ideas|the feature)|"
       r"(?:data|numbers) (?:tell|told|show|shows|says?)|before (?:we )?(?:build|building|invest)|size (?:the|it|each)|"
       r"sizing|which step|(?:kill|stop|pause) it if|only roll it out if|what would change my mind|stop rules?|"
       r"(?:stop|kill) criteri\w*|write (?:down )?the rule|(?:decide|agree|set) (?:\w+ ){0,3}(?:up front|in advance|beforehand|before (?:we )?start\w*)|"
       r"if .{0,120}\b(?:we|i'd|i would|i'll|we'll) (?:\w+ )?(?:stop|pause|kill|halt|drop it|don't do it|won't do it|pull (?:the )?(?:paid )?(?:spend|budget|plug)|reassess)",
       refusable=True),
    _c("data", "used qualitative signal", 1.0,
       r"research|core (?:user )?jobs?|jobs? to be done|"
       r"user interviews?|surveys?|support tickets?|app store reviews?|reviews|user research|session recordings?|talk to users"),
    _c("data", "used data only to validate after launch", -2.0,
       r"(?:look at|check) (?:the )?(?:data|numbers|metrics) after (?:launch|we launch|launching|shipping|we ship|release)"
       r"|(?:data|numbers) (?:just |only )?to (?:confirm|validate|prove)|to (?:confirm|prove) (?:that )?it worked|gut (?:feel|feeling|instinct)|"
       r"trust my (?:gut|instinct)|just ship it and see|(?:don't|do not) need (?:the )?data", "against"),
)
