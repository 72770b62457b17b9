extension ConsoleTemplates {
    static let alerts = """
        {{> header}}
        {{#content}}
        <h1>Alerts</h1>
        <form id="alert-filter" method="get" action="/ui/alerts" class="filters">
        <div><label for="filter">Label matchers</label>
        <input id="filter" name="filter" value="{{filter}}" placeholder='service="checkout", severity=~"crit.*"' spellcheck="false"></div>
        <div><label for="status">Status</label>
        <select id="status" name="status">{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}</select></div>
        <div><label for="priority">Priority</label>
        <select id="priority" name="priority">{{#priorityOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/priorityOptions}}</select></div>
        <div><label for="source">Source</label>
        <input id="source" name="source" value="{{source}}" list="sources" spellcheck="false">
        <datalist id="sources">{{#sources}}<option value="{{.}}">{{/sources}}</datalist></div>
        <div><label for="muted">Muted</label>
        <select id="muted" name="muted">{{#mutedOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/mutedOptions}}</select></div>
        <div><button id="apply-filter" type="submit">Apply</button></div>
        </form>
        <p class="meta"><span id="alert-count">{{countText}}</span>
        <span id="live" class="live" data-events="{{eventsURL}}" aria-live="polite"></span></p>
        <div class="scroll">
        <table id="alerts">
        <caption class="visually-hidden">Alerts, highest score first</caption>
        <thead><tr><th scope="col">Alert</th><th scope="col">Score</th><th scope="col">Priority</th><th scope="col">Source</th><th scope="col">State</th><th scope="col">Last seen</th></tr></thead>
        <tbody id="alert-rows">{{> alert-rows}}</tbody>
        </table>
        </div>
        <p class="pages">
        {{#previousURL}}<a id="previous-page" href="{{previousURL}}">← Previous</a>{{/previousURL}}
        <span>{{pageText}}</span>
        {{#nextURL}}<a id="next-page" href="{{nextURL}}">Next →</a>{{/nextURL}}
        </p>
        {{/content}}
        {{> footer}}
        """

    static let alertRows = """
        {{#rows}}<tr class="alert-row priority-{{priority}}" data-fingerprint="{{fingerprint}}">
        <td><a class="alert-link" href="/ui/alerts/{{fingerprint}}">{{name}}</a><div class="labels">{{labelText}}</div></td>
        <td class="score">{{score}}</td>
        <td class="priority"><span class="badge {{priority}}">{{priority}}</span></td>
        <td class="source">{{source}}</td>
        <td class="state">{{status}}{{#silenced}} <span class="badge muted">silenced</span>{{/silenced}}{{#inhibited}} <span class="badge muted">inhibited</span>{{/inhibited}}{{#acknowledged}} <span class="badge ack">acknowledged</span>{{/acknowledged}}</td>
        <td>{{#lastSeen}}{{> time}}{{/lastSeen}}</td>
        </tr>
        {{/rows}}{{^rows}}<tr><td colspan="6" class="empty">No alert matches.</td></tr>{{/rows}}
        """

    static let alert = """
        {{> header}}
        {{#content}}
        <p><a href="/ui/alerts">← Alerts</a></p>
        <h1 id="alert-name">{{name}}</h1>
        <p id="alert-state" class="state">{{status}}{{#acknowledgedBy}} · acknowledged by {{acknowledgedBy}}{{/acknowledgedBy}}{{#silencedBy}} · <span class="badge muted">silenced by {{.}}</span>{{/silencedBy}}{{#inhibitedBy}} · <span class="badge muted">inhibited by <a href="/ui/alerts/{{.}}">{{.}}</a></span>{{/inhibitedBy}}{{#feedback}} · marked {{feedback}}{{/feedback}}</p>
        <p class="meta">fingerprint <code>{{fingerprint}}</code> · source <strong>{{source}}</strong> · first seen {{#firstSeen}}{{> time}}{{/firstSeen}} · last seen {{#lastSeen}}{{> time}}{{/lastSeen}} · {{occurrencesText}}</p>
        {{#canAck}}
        <div class="actions">
        {{#firing}}<form id="ack-form" method="post" action="/ui/alerts/{{fingerprint}}/ack">{{> csrf}}<button id="ack" type="submit">Acknowledge</button></form>
        <form id="resolve-form" method="post" action="/ui/alerts/{{fingerprint}}/resolve">{{> csrf}}<button id="resolve" type="submit">Resolve</button></form>{{/firing}}
        <form id="feedback-actionable-form" method="post" action="/ui/alerts/{{fingerprint}}/feedback">{{> csrf}}<input type="hidden" name="kind" value="actionable"><button id="feedback-actionable" type="submit">Mark actionable</button></form>
        <form id="feedback-noise-form" method="post" action="/ui/alerts/{{fingerprint}}/feedback">{{> csrf}}<input type="hidden" name="kind" value="noise"><button id="feedback-noise" type="submit">Mark noise</button></form>
        {{#silenceURL}}<a id="silence-like-this" class="button" href="{{silenceURL}}">Silence alerts like this</a>{{/silenceURL}}
        </div>
        {{/canAck}}
        {{^canAck}}{{#silenceURL}}<div class="actions"><a id="silence-like-this" class="button" href="{{silenceURL}}">Silence alerts like this</a></div>{{/silenceURL}}{{/canAck}}
        <section id="rating" aria-labelledby="rating-title">
        <h2 id="rating-title">Rating</h2>
        <p class="score-line"><span>score now <strong id="score">{{score}}</strong></span>
        <span>priority <strong id="priority" class="badge {{priority}}">{{priority}}</strong></span>
        <span>when it arrived <strong id="score-at-arrival">{{scoreAtArrival}}</strong> ({{priorityAtArrival}})</span></p>
        {{#learnedText}}<p class="meta">{{learnedText}}</p>{{/learnedText}}
        <div class="scroll">
        <table id="factors">
        <caption>The fixed weights' factors</caption>
        <thead><tr><th scope="col">Factor</th><th scope="col">Value</th><th scope="col">Weight</th><th scope="col">Contribution</th><th scope="col">Part of the score (0 to 1)</th><th scope="col">Why</th></tr></thead>
        <tbody>
        {{#factors}}<tr class="factor" data-factor="{{name}}"><th scope="row">{{name}}</th><td class="value">{{value}}</td><td class="weight">{{weight}}</td><td class="contribution">{{contribution}}</td>
        <td><svg class="bar" viewBox="0 0 100 10" width="120" height="12" role="img" aria-label="{{name}} contributes {{contribution}}"><rect class="track" width="100" height="10"></rect><rect class="fill" width="{{barWidth}}" height="10"></rect></svg></td><td class="detail">{{detail}}</td></tr>
        {{/factors}}
        </tbody>
        </table>
        </div>
        {{#hasFeatures}}
        <div class="scroll">
        <table id="learned-features">
        <caption>The learned model's features (log-odds)</caption>
        <thead><tr><th scope="col">Feature</th><th scope="col">Contribution</th><th scope="col">Share</th><th scope="col">Why</th></tr></thead>
        <tbody>
        {{#features}}<tr class="feature" data-feature="{{name}}"><th scope="row">{{name}}</th><td>{{contribution}}</td>
        <td><svg class="bar" viewBox="0 0 100 10" width="120" height="12" role="img" aria-label="{{name}}: {{share}} of the learned part"><rect class="track" width="100" height="10"></rect><rect class="fill {{direction}}" width="{{barWidth}}" height="10"></rect></svg></td><td>{{detail}}</td></tr>
        {{/features}}
        </tbody>
        </table>
        </div>
        {{/hasFeatures}}
        </section>
        <div class="columns">
        <section aria-labelledby="labels-title"><h2 id="labels-title">Labels</h2>
        <table id="labels"><tbody>{{#labels}}<tr data-label="{{name}}"><th scope="row">{{name}}</th><td>{{value}}</td></tr>{{/labels}}</tbody></table></section>
        <section aria-labelledby="annotations-title"><h2 id="annotations-title">Annotations</h2>
        <table id="annotations"><tbody>{{#annotations}}<tr data-annotation="{{name}}"><th scope="row">{{name}}</th><td>{{value}}</td></tr>{{/annotations}}{{^annotations}}<tr><td>none</td></tr>{{/annotations}}</tbody></table></section>
        </div>
        <section id="groups" aria-labelledby="groups-title"><h2 id="groups-title">Routes and groups</h2>
        <ul>{{#groups}}<li class="group">receiver <strong>{{receiver}}</strong>, group <code>{{group}}</code></li>{{/groups}}{{^groups}}<li>No route takes this alert now.</li>{{/groups}}</ul>
        </section>
        <section aria-labelledby="timeline-title"><h2 id="timeline-title">Notifications</h2>
        <ol id="timeline" class="timeline">
        {{#notifications}}<li class="notification state-{{state}}"><strong>{{status}}</strong> notification to <strong>{{receiver}}</strong> ({{state}}{{#nextAttempt}}, next attempt {{> time}}{{/nextAttempt}}) <code>{{group}}</code>
        <ol>{{#attempts}}<li class="attempt outcome-{{outcome}}">{{#at}}{{> time}}{{/at}} {{outcome}}{{#httpStatus}} · HTTP {{httpStatus}}{{/httpStatus}}{{#error}} · {{error}}{{/error}}</li>{{/attempts}}{{^attempts}}<li class="attempt">not attempted yet</li>{{/attempts}}</ol></li>
        {{/notifications}}
        {{^notifications}}<li>No notification named this alert yet.</li>{{/notifications}}
        </ol>
        </section>
        {{/content}}
        {{> footer}}
        """

    /// A time, relative and absolute: the console's script keeps the relative part current.
    static let time = #"<time datetime="{{iso}}" title="{{iso}}">{{absolute}}</time> <span class="ago" data-ago="{{iso}}">{{relative}}</span>"#
}
