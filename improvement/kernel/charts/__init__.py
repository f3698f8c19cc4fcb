"""Server-drawn SVG charts: geometry only, no app models.

* ``parts`` — what every chart shares: series, colours, text measures, the
  scale, the legend and markers.
* ``bars.stacked_bar_chart`` — horizontal stacked bars, one per row.
* ``lines.line_chart`` — one line per series over dates (months).

The apps choose their own series (the plan's delivery status and RAG in
``improvement.board.chart_parts``, audit grades in
``improvement.audits.charts``) and the templates in
``templates/components/chart_*.html`` draw the result.
"""
