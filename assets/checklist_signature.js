/* The checklist runner's signature pad: draw with a finger, a pen or a mouse (pointer events) on any
 * <canvas class="signature-pad" data-store="ID">; each stroke writes the drawing as a PNG data URL into the
 * dcc.Store ID, and "Clear signature" empties both. Hand-written (about 60 lines) because no kept-up Dash
 * signature component exists; the canvases come and go with the checklist, so events are delegated. */
(function () {
    "use strict";
    var drawing = null;  // {canvas, context} while a stroke is being drawn

    function prepare(canvas) {
        var width = Math.round(canvas.clientWidth), height = Math.round(canvas.clientHeight);
        if (canvas.width !== width || canvas.height !== height) {
            canvas.width = width;  // one canvas pixel per CSS pixel keeps the PNG small
            canvas.height = height;
            blank(canvas);
        }
        return canvas.getContext("2d");
    }

    function blank(canvas) {
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";  // dark strokes on white, like paper: readable wherever it is shown
        context.fillRect(0, 0, canvas.width, canvas.height);
    }

    function point(canvas, event) {
        var box = canvas.getBoundingClientRect();
        return [event.clientX - box.left, event.clientY - box.top];
    }

    function store(canvas, value) {
        if (window.dash_clientside && window.dash_clientside.set_props) {
            window.dash_clientside.set_props(canvas.dataset.store, {data: value});
        }
    }

    document.addEventListener("pointerdown", function (event) {
        var canvas = event.target;
        if (!(canvas instanceof HTMLCanvasElement) || !canvas.classList.contains("signature-pad")) {
            return;
        }
        event.preventDefault();
        var context = prepare(canvas);
        context.lineWidth = 3;
        context.lineCap = "round";
        context.lineJoin = "round";
        context.strokeStyle = "#111111";
        var at = point(canvas, event);
        context.beginPath();
        context.moveTo(at[0], at[1]);
        context.lineTo(at[0] + 0.1, at[1] + 0.1);  // a tap leaves a dot
        context.stroke();
        canvas.setPointerCapture(event.pointerId);
        drawing = {canvas: canvas, context: context};
    });

    document.addEventListener("pointermove", function (event) {
        if (!drawing || event.target !== drawing.canvas) {
            return;
        }
        var at = point(drawing.canvas, event);
        drawing.context.lineTo(at[0], at[1]);
        drawing.context.stroke();
    });

    function finish() {
        if (drawing) {
            store(drawing.canvas, drawing.canvas.toDataURL("image/png"));
            drawing = null;
        }
    }
    document.addEventListener("pointerup", finish);
    document.addEventListener("pointercancel", finish);

    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest(".signature-clear");
        var canvas = button && button.parentElement.querySelector("canvas.signature-pad");
        if (canvas) {
            prepare(canvas);
            blank(canvas);
            store(canvas, null);
        }
    });
})();
